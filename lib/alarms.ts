/**
 * The alarms, all sent to the alarm topic: findings that ended `failed` (the workflow's own metric:
 * a task failure is caught and recorded, so the execution still succeeds), executions of either
 * state machine that failed, timed out or were aborted, every function's errors and sustained
 * throttles, and for each queue the messages waiting in it and how old the oldest is.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC } from '../src/workflow/metrics.js';
import { cloudmendMetric } from './dashboard.js';
import type { DeadLetterQueue } from './dead-letters.js';
import type { CloudmendFunction } from './functions.js';

/** A queue whose oldest message past `maxAge` means the work behind it is stuck. */
export interface WatchedQueue {
  readonly name: string;
  readonly queue: sqs.IQueue;
  readonly maxAge: Duration;
}

export interface CloudmendAlarmsProps {
  readonly topic: sns.ITopic;
  readonly remediate: sfn.IStateMachine;
  /** @default - no drift scan */
  readonly driftScan?: sfn.IStateMachine | undefined;
  readonly functions: readonly CloudmendFunction[];
  readonly deadLetters: readonly DeadLetterQueue[];
  /** Queues that are not dead-letter queues (the batching queue). */
  readonly queues: readonly WatchedQueue[];
}

const PERIOD = Duration.minutes(5);
/** Half of a dead-letter queue's 14 days: time left to redrive before SQS drops a message. */
const DEAD_LETTER_MAX_AGE = Duration.days(7);

/** Failed, timed-out and aborted executions of `stateMachine` in five minutes. */
export function executionProblems(stateMachine: sfn.IStateMachine): cloudwatch.IMetric {
  const sm = stateMachine;
  return new cloudwatch.MathExpression({
    label: 'executions failed, timed out or aborted',
    expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
    usingMetrics: { failed: sm.metricFailed(), timedOut: sm.metricTimedOut(), aborted: sm.metricAborted() },
    period: PERIOD,
  });
}

export class CloudmendAlarms extends Construct {
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: CloudmendAlarmsProps) {
    super(scope, id);
    const alarms: cloudwatch.Alarm[] = [];
    /** Raised when `metric` reaches `threshold` in `periods` consecutive five-minute periods. */
    const alarm = (alarmId: string, description: string, metric: cloudwatch.IMetric, threshold = 1, periods = 1): void => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: `cloudmend: ${description}`,
        metric,
        threshold,
        evaluationPeriods: periods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new actions.SnsAction(props.topic));
      alarms.push(created);
    };

    alarm(
      'FindingsFailed',
      'findings ended failed; `cloudmend explain <fingerprint>` or the ledger says why',
      cloudmendMetric(METRIC.findingsFailed),
    );
    alarm(
      'ExecutionsFailed',
      'remediate executions failed, timed out or were aborted; see the execution history',
      executionProblems(props.remediate),
    );
    if (props.driftScan)
      alarm(
        'DriftScanFailed',
        'drift-scan executions failed, timed out or were aborted; see the execution history',
        executionProblems(props.driftScan),
      );
    for (const fn of props.functions) {
      const name = fn.node.id;
      alarm(
        `${name}Errors`,
        `${name} returned errors (the state machines retry transient ones); see its log group`,
        fn.function.metricErrors({ period: PERIOD }),
      );
      // A burst is throttled and retried with backoff; fifteen minutes of it is not a burst.
      alarm(
        `${name}Throttles`,
        `${name} was throttled for 15 minutes; check its reserved concurrency and the account's`,
        fn.function.metricThrottles({ period: PERIOD }),
        1,
        3,
      );
    }
    for (const { name, queue, holds } of props.deadLetters) {
      alarm(
        `${name}Waiting`,
        `${name} holds ${holds}; redrive or delete them (README, "Dead letters")`,
        queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      );
      alarm(
        `${name}Aging`,
        `${name} has held a message for ${DEAD_LETTER_MAX_AGE.toDays()} days; SQS drops it at 14`,
        ageOfOldest(queue),
        DEAD_LETTER_MAX_AGE.toSeconds(),
      );
    }
    for (const { name, queue, maxAge } of props.queues) {
      alarm(
        `${name}Aging`,
        `${name} has held a message for over ${maxAge.toMinutes()} minutes: its consumer is failing or throttled`,
        ageOfOldest(queue),
        maxAge.toSeconds(),
      );
    }
    this.alarms = alarms;
  }
}

function ageOfOldest(queue: sqs.IQueue): cloudwatch.IMetric {
  return queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' });
}
