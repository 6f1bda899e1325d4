/**
 * `Cloudmend`: the whole pipeline as one construct, for `CloudmendStack` or a team's own CDK app.
 * Findings in through EventBridge, the remediate state machine, approvals from Slack, pull
 * requests to GitHub; it never changes a cloud resource itself.
 */
import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { Config } from '../src/config/schema.js';
import { CloudmendError } from '../src/errors.js';
import { CloudmendDashboard } from './dashboard.js';
import { FindingBatcher } from './batching.js';
import { CloudmendData } from './data.js';
import { deadLetterQueue } from './dead-letters.js';
import { DriftScan, driftScanTargets } from './drift-scan.js';
import { CloudmendOperations } from './operations.js';
import { OrganizationRollout } from './organization.js';
import { CloudmendSandbox } from './sandbox.js';
import { validatesInSandbox } from '../src/workflow/validation.js';
import { CloudmendTriggers } from './triggers.js';
import { RemediateWorkflow } from './workflow.js';

export interface CloudmendProps {
  /** The validated configuration (`loadConfig`); its repositories must be on GitHub. */
  readonly config: Config;
  /**
   * The bus findings arrive on.
   * @default - the account's default event bus, where Security Hub and Config publish
   */
  readonly eventBus?: events.IEventBus;
  /**
   * Where alarms (failed executions, undeliverable events) are sent.
   * @default - a new topic encrypted with cloudmend's key; subscribe to it after deploying
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * The VPC of the sandbox (model agent, validators); it needs isolated subnets and the endpoints listed in the README.
   * @default - a new VPC with one isolated subnet, no internet or NAT gateway, and the endpoints
   */
  readonly vpc?: ec2.IVpc;
  /**
   * What happens to the ledger, artifacts, secrets, key and logs when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /**
   * How long patches are kept; must outlast the approval timeout, after which they are read.
   * @default Duration.days(30)
   */
  readonly artifactRetention?: Duration;
  /**
   * Create the Security Hub custom action; Security Hub must be enabled in the account.
   * @default true
   */
  readonly createCustomAction?: boolean;
  /**
   * Reserve concurrency for OpenPullRequest (4: GitHub's secondary rate limits) and the public
   * Slack endpoint (10: a flood cannot take the account's concurrency). Accounts with the
   * new-account quota of 10 concurrent executions cannot reserve any: set false there.
   * @default true
   */
  readonly reservedConcurrency?: boolean;
}

/** Props or config a deployable stack cannot be built from; the message lists every problem. */
export class CloudmendPropsError extends CloudmendError {
  override name = 'CloudmendPropsError';
  override readonly userFacing = true;
}

/** Every problem with the props at once, each naming what to change. */
export function validateCloudmendProps(props: CloudmendProps, stackRegion: string): string[] {
  const { config } = props;
  const problems: string[] = [];
  config.repositories.forEach((repo, i) => {
    if (repo.provider !== 'github') {
      problems.push(`config repositories[${i}] (${repo.name}) uses provider ${repo.provider}, which only the local runtime can reach: set provider: github and location: <owner>/<name>`);
    }
  });
  const tiers = [config.policy.default, ...config.policy.rules.map((r) => r.tier)];
  if (tiers.includes('pull_request_with_approval')) {
    if (!config.approvals.slack) problems.push('config approvals.slack.channel is required: the policy asks for approvals, and in AWS they are given in Slack');
    if (config.approvals.approvers.users.length + config.approvals.approvers.groups.length === 0) {
      problems.push('config approvals.approvers lists nobody: the policy asks for approvals that no one could give; add Slack user or group ids');
    }
  }
  const retentionSeconds = (props.artifactRetention ?? Duration.days(30)).toSeconds();
  if (retentionSeconds <= config.approvals.timeout) {
    problems.push(`artifactRetention (${retentionSeconds / 86_400} days) must be longer than approvals.timeout (${config.approvals.timeout / 86_400} days): an approved patch is read after the wait`);
  }
  if (config.model.provider === 'bedrock' && config.model.region && !Token.isUnresolved(stackRegion) && config.model.region !== stackRegion) {
    problems.push(`config model.region is ${config.model.region} but the stack deploys to ${stackRegion}: the sandbox reaches Bedrock through a VPC endpoint in the stack's region; remove model.region or deploy there`);
  }
  if (config.batching.maxFindings > AWS_MAX_BATCH) {
    problems.push(`config batching.maxFindings is ${config.batching.maxFindings}: a batch's execution state must fit Step Functions' 256 KB, which holds at most ${AWS_MAX_BATCH} findings; lower it`);
  }
  return problems;
}

/** Findings per batch that fit one Step Functions execution (256 KB of state). */
const AWS_MAX_BATCH = 100;

export class Cloudmend extends Construct {
  readonly data: CloudmendData;
  readonly workflow: RemediateWorkflow;
  readonly triggers: CloudmendTriggers;
  readonly operations: CloudmendOperations;
  readonly driftScan?: DriftScan;
  readonly organization?: OrganizationRollout;
  readonly batcher?: FindingBatcher;
  readonly sandbox?: CloudmendSandbox;
  readonly alarmTopic: sns.ITopic;
  readonly dashboard: CloudmendDashboard;

  constructor(scope: Construct, id: string, props: CloudmendProps) {
    super(scope, id);
    const problems = validateCloudmendProps(props, Stack.of(this).region);
    if (problems.length > 0) throw new CloudmendPropsError(`Cloudmend cannot be built:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    const { config } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const reserve = props.reservedConcurrency ?? true;

    this.data = new CloudmendData(this, 'Data', { removalPolicy, artifactRetention: props.artifactRetention ?? Duration.days(30) });
    // The sandbox runs the model agent and the validators; with neither, there is none: its VPC
    // endpoints are most of cloudmend's fixed cost.
    const modelId = config.model.provider === 'bedrock' ? config.model.modelId : undefined;
    if (modelId !== undefined || validatesInSandbox(config)) {
      this.sandbox = new CloudmendSandbox(this, 'Sandbox', { modelId, data: this.data, vpc: props.vpc, logRetention, removalPolicy });
    }
    this.workflow = new RemediateWorkflow(this, 'Remediate', { config, data: this.data, sandbox: this.sandbox, logRetention, removalPolicy, pullRequestConcurrency: reserve ? 4 : undefined });
    const deadLetters = deadLetterQueue(this, 'DeadLetters', removalPolicy);
    const stateMachine = this.workflow.stateMachine;
    if (config.batching.windowSeconds > 0) this.batcher = new FindingBatcher(this, 'Batching', { config, stateMachine, deadLetterQueue: deadLetters, logRetention, removalPolicy });
    this.triggers = new CloudmendTriggers(this, 'Triggers', {
      config,
      stateMachine,
      eventBus: props.eventBus,
      createCustomAction: props.createCustomAction,
      deadLetterQueue: deadLetters,
      batchQueue: this.batcher?.queue,
    });
    // The bus the rules listen on: drift events and member accounts' events are sent to it.
    const eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    const targets = driftScanTargets(config, Stack.of(this).account);
    if (config.schedules.some((s) => s.task === 'drift-scan') && targets.length > 0) {
      this.driftScan = new DriftScan(this, 'DriftScan', { targets, eventBus, logRetention, removalPolicy, rolesInOtherAccounts: config.organization !== undefined });
    }
    if (config.organization) {
      const driftScan = this.driftScan && { role: this.driftScan.stateMachine.role, stackNames: this.driftScan.stackNames };
      this.organization = new OrganizationRollout(this, 'Organization', { organization: config.organization, config, eventBus, driftScan });
    }
    this.operations = new CloudmendOperations(this, 'Operations', {
      config,
      data: this.data,
      stateMachine,
      driftScan: this.driftScan,
      deadLetterQueue: deadLetters,
      logRetention,
      removalPolicy,
      slackEndpointConcurrency: reserve ? 10 : undefined,
    });

    this.alarmTopic = props.alarmTopic ?? this.newAlarmTopic();
    const executionProblems = this.workflow.metricExecutionProblems();
    const undelivered = deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' });
    for (const [name, metric, description] of [
      ['ExecutionsFailed', executionProblems, 'cloudmend: remediate executions failed, timed out or were aborted'],
      ['EventsUndelivered', undelivered, 'cloudmend: events or schedules that started nothing are waiting in the dead-letter queue'],
    ] as const) {
      const alarm = new cloudwatch.Alarm(this, name, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
    }
    this.dashboard = new CloudmendDashboard(this, 'Dashboard', { executionProblems, deadLetters: undelivered });
  }

  private newAlarmTopic(): sns.Topic {
    const topic = new sns.Topic(this, 'Alarms', { displayName: 'cloudmend alarms', masterKey: this.data.key, enforceSSL: true });
    // CloudWatch publishes alarm notifications to the encrypted topic.
    this.data.key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    return topic;
  }
}
