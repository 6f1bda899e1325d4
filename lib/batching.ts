/**
 * The batching stage: imported Security Hub findings wait on an SQS queue for the configured
 * window; one Lambda receives what arrived and starts one remediate execution per batch of a
 * repository's findings, each resource's together (src/aws/batch-findings.ts). A burst of thousands of findings, each delivered
 * more than once, becomes a handful of executions and pull requests. A batch's events go to the
 * artifacts bucket (claim-check): the execution starts with their key, a small input.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { BUCKET_PREFIX, ENV } from '../src/aws/environment.js';
import type { Config } from '../src/config/schema.js';
import { BATCH_EVENTS_PREFIX } from '../src/triggers/batch-event.js';
import type { CloudmendData } from './data.js';
import { CloudmendFunction } from './functions.js';

export interface FindingBatcherProps {
  readonly config: Config;
  readonly stateMachine: sfn.IStateMachine;
  /** The artifacts bucket, where batches' events are written. */
  readonly data: CloudmendData;
  /** Where a batch that keeps failing ends up. */
  readonly deadLetterQueue: sqs.IQueue;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** How long the function may take on one SQS batch (thousands of findings). */
const TIMEOUT = Duration.minutes(5);

export class FindingBatcher extends Construct {
  readonly queue: sqs.Queue;
  readonly function: CloudmendFunction;
  /** How long a message the function took stays invisible: a message older than this was retried. */
  readonly visibilityTimeout: Duration;

  constructor(scope: Construct, id: string, props: FindingBatcherProps) {
    super(scope, id);
    const window = props.config.batching.windowSeconds;
    // Lambda's rule: at least six times the function timeout, plus the batching window.
    this.visibilityTimeout = Duration.seconds(TIMEOUT.toSeconds() * 6 + window);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: this.visibilityTimeout,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: props.deadLetterQueue, maxReceiveCount: 5 },
      removalPolicy: props.removalPolicy,
    });
    this.function = new CloudmendFunction(this, 'BatchFindings', {
      entry: 'batch-findings',
      description: 'groups imported findings by repository, each resource in one batch',
      memoryMb: 1024,
      timeout: TIMEOUT,
      config: props.config,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.function.function.addEnvironment(ENV.remediateStateMachineArn, props.stateMachine.stateMachineArn);
    props.stateMachine.grantStartExecution(this.function.role);
    this.function.function.addEnvironment(ENV.artifactsBucket, props.data.artifacts.bucketName);
    props.data.grantArtifacts(
      this.function.role,
      `${BUCKET_PREFIX.artifacts}${BATCH_EVENTS_PREFIX}`,
      // Read too: the artifacts adapter it shares with the workflow can read (it never does); only batches, under this prefix.
      'readwrite',
      this.function,
      'Batches of findings, each written once under the hash of its content: named at run time, under this prefix only.',
    );
    this.function.function.addEventSource(
      // 10,000 messages or the window, whichever comes first (Lambda's own limits: 10,000, 300 s).
      // Partial batch responses: an execution that cannot start returns only its own messages to the queue.
      new lambdaEvents.SqsEventSource(this.queue, {
        batchSize: 10_000,
        maxBatchingWindow: Duration.seconds(window),
        maxConcurrency: 2,
        reportBatchItemFailures: true,
      }),
    );
  }
}
