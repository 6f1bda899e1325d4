/**
 * What starts cloudmend in AWS: one EventBridge rule per shared trigger pattern (the patterns the
 * local runtime matches with) and the Security Hub custom action. Imported findings (ASFF and
 * Security Hub v2 OCSF), the bursty sources, go through the batching queue when batching is on.
 * Undeliverable events go to the events dead-letter queue (lib/dead-letters.ts).
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { Config } from '../src/config/schema.js';
import type { EventPattern } from '../src/triggers/event-pattern.js';
import { triggersFor, type Trigger } from '../src/triggers/patterns.js';

export interface CloudmendTriggersProps {
  readonly config: Config;
  readonly stateMachine: sfn.IStateMachine;
  /** @default - the account's default event bus */
  readonly eventBus?: events.IEventBus;
  /** @default true */
  readonly createCustomAction?: boolean;
  readonly deadLetterQueue: sqs.IQueue;
  /** Imported findings go here to be batched (lib/batching.ts) instead of starting executions one event at a time. */
  readonly batchQueue?: sqs.IQueue | undefined;
}

/** Custom action names are limited to 20 characters by Security Hub. */
export const CUSTOM_ACTION_NAME = 'Remediate: cloudmend';

/** Triggers the stack deploys as rules: scheduled work is started by EventBridge Scheduler instead. */
export function deployedTriggers(config: Config): Trigger[] {
  return triggersFor(config).filter((t) => t.kind !== 'scheduled');
}

/** A shared pattern in the shape `events.Rule` takes; it renders back to the same JSON. */
export function ruleEventPattern(pattern: EventPattern): events.EventPattern {
  const { source, 'detail-type': detailType, resources, detail, ...rest } = pattern;
  if (Object.keys(rest).length > 0)
    throw new Error(`trigger pattern fields ${Object.keys(rest).join(', ')} have no events.EventPattern equivalent here`);
  return { source, detailType, resources, detail } as events.EventPattern;
}

export class CloudmendTriggers extends Construct {
  readonly rules: Readonly<Record<string, events.Rule>>;
  readonly customAction?: securityhub.CfnActionTarget;

  constructor(scope: Construct, id: string, props: CloudmendTriggersProps) {
    super(scope, id);
    const rules: Record<string, events.Rule> = {};
    for (const trigger of deployedTriggers(props.config)) {
      const rule = new events.Rule(this, trigger.name, {
        description: `cloudmend: ${trigger.description}`,
        eventBus: props.eventBus,
        eventPattern: ruleEventPattern(trigger.pattern),
      });
      // EventBridge retries a failed delivery for a day, then parks the event in the queue.
      const delivery = { deadLetterQueue: props.deadLetterQueue, retryAttempts: 185, maxEventAge: Duration.hours(24) };
      rule.addTarget(
        trigger.batched && props.batchQueue
          ? new targets.SqsQueue(props.batchQueue, delivery)
          : new targets.SfnStateMachine(props.stateMachine, delivery),
      );
      rules[trigger.name] = rule;
    }
    this.rules = rules;
    if (props.createCustomAction ?? true) {
      this.customAction = new securityhub.CfnActionTarget(this, 'CustomAction', {
        id: props.config.triggers.customActionId,
        name: CUSTOM_ACTION_NAME,
        description: 'Remediate with cloudmend: a verified infrastructure-as-code pull request for each selected finding',
      });
      // cfn-lint 1.51's resource specification lacks this type (E3006), which CloudFormation has;
      // so does CDK's own validation against a Region's schema, once the Region is named (F3006).
      this.customAction.addMetadata('cfn-lint', { config: { ignore_checks: ['E3006'] } });
      Validations.of(this.customAction).acknowledge({
        id: 'CloudFormation-Validate::F3006',
        reason: 'AWS::SecurityHub::ActionTarget exists wherever Security Hub does; the bundled Region schemas lack it.',
      });
    }
  }
}
