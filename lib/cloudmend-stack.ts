/** `CloudmendStack`: the `Cloudmend` construct alone in a stack, with the outputs operators need. */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Cloudmend, type CloudmendProps } from './cloudmend.js';

export type CloudmendStackProps = StackProps & CloudmendProps;

export class CloudmendStack extends Stack {
  readonly cloudmend: Cloudmend;

  constructor(scope: Construct, id: string, props: CloudmendStackProps) {
    super(scope, id, { description: 'cloudmend: findings to reviewed infrastructure-as-code pull requests', ...props });
    const c = (this.cloudmend = new Cloudmend(this, 'Cloudmend', props));
    const outputs: Record<string, [string, string]> = {
      SlackInteractivityUrl: [c.operations.slackUrl.url, 'Slack app: Interactivity & Shortcuts → Request URL'],
      GitHubSecretArn: [c.data.githubSecret.secretArn, 'put the GitHub App credentials or token here (README, "Secrets")'],
      SlackSecretArn: [c.data.slackSecret.secretArn, 'put the Slack bot token and signing secret here (README, "Secrets")'],
      EventBusName: [c.eventBus.eventBusName, 'the bus the rules listen on: cloudmend smoke puts its test finding here'],
      StateMachineArn: [c.workflow.stateMachine.stateMachineArn, 'the remediate workflow'],
      LedgerTableName: [c.data.ledger.tableName, 'the ledger: every finding and what happened to it'],
      AlarmTopicArn: [c.alarmTopic.topicArn, 'subscribe to receive alarms'],
    };
    for (const { name, queue, holds } of c.deadLetters.all) outputs[`${name}Url`] = [queue.queueUrl, `dead letters: ${holds}`];
    for (const [id, [value, description]] of Object.entries(outputs)) new CfnOutput(this, id, { value, description });
  }
}
