/**
 * The dead-letter queues, one per message shape, so that each holds one kind of message and has
 * one way back (README, "Dead letters"): EventBridge events a rule could not deliver, imported
 * findings the batching function kept failing on, schedules Scheduler could not start, and the
 * invocation records of sweeps that failed every retry.
 */
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface CloudmendDeadLettersProps {
  readonly removalPolicy: RemovalPolicy;
  /** Whether imported findings go through the batching queue, which then needs its own. */
  readonly batching: boolean;
}

/** One dead-letter queue and what lands in it. */
export interface DeadLetterQueue {
  /** Stack output and alarm prefix, e.g. `EventsDeadLetters`. */
  readonly name: string;
  readonly queue: sqs.Queue;
  /** What a message in it is, for the alarm that says it is there. */
  readonly holds: string;
}

/** A queue encrypted, TLS-only, keeping messages as long as SQS allows. */
function deadLetterQueue(scope: Construct, id: string, removalPolicy: RemovalPolicy): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // The longest SQS allows: time for someone to look at the alarm and redrive.
    retentionPeriod: Duration.days(14),
    removalPolicy,
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself a dead-letter queue; it has alarms on its depth and on the age of its oldest message.',
  });
  return queue;
}

export class CloudmendDeadLetters extends Construct {
  /** EventBridge events a rule target (the remediate state machine, the batching queue) did not take for 24 hours. */
  readonly events: sqs.Queue;
  /** Messages of the batching queue its function failed on five times: imported-finding events. */
  readonly batches?: sqs.Queue;
  /** Schedules EventBridge Scheduler could not start (the sweeps, the drift scan): the target's input. */
  readonly schedules: sqs.Queue;
  /** Sweeps that failed Lambda's retries of an asynchronous invocation: Lambda's invocation record. */
  readonly sweeps: sqs.Queue;
  readonly all: readonly DeadLetterQueue[];

  constructor(scope: Construct, id: string, props: CloudmendDeadLettersProps) {
    super(scope, id);
    const make = (name: string, holds: string): DeadLetterQueue => ({
      name: `${name}DeadLetters`,
      queue: deadLetterQueue(this, name, props.removalPolicy),
      holds,
    });
    const events = make('Events', 'events that started nothing: a rule could not deliver them for 24 hours');
    const batches = props.batching ? make('Batches', 'imported findings the batching function failed on five times') : undefined;
    const schedules = make('Schedules', 'schedules EventBridge Scheduler could not start');
    const sweeps = make('Sweeps', 'sweeps that failed every retry');
    this.events = events.queue;
    this.batches = batches?.queue;
    this.schedules = schedules.queue;
    this.sweeps = sweeps.queue;
    this.all = [events, ...(batches ? [batches] : []), schedules, sweeps];
  }
}
