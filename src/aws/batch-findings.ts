/**
 * The batching stage in AWS: EventBridge puts imported findings on an SQS queue; Lambda receives
 * what arrived within the batching window (the event source mapping's window), and this plans the
 * batches (src/triggers/batching.ts) and starts one remediate execution per batch or event. The
 * execution name is the batch's or event's id, so a redelivered SQS batch never starts one twice.
 * An execution that cannot start fails only the messages it holds findings of (the event source
 * mapping reports batch item failures): the others are deleted, the next executions still start.
 * A batch's events go to the artifacts bucket first (claim-check, src/workflow/stored.ts): the
 * execution starts with their key, a small input whatever the findings' size.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Config } from '../config/schema.js';
import { planBatches, skillCoverage, type BatchPlan } from '../triggers/batching.js';
import type { Artifacts } from '../artifacts/port.js';
import { batchByReference } from '../workflow/stored.js';
import { bundledConfig, lazyPort, once } from './context.js';
import { ENV, required } from './environment.js';
import { startOnce } from './executions.js';
import { artifacts } from './ports/artifacts.js';

export interface BatchFindingsDeps {
  readonly config: Config;
  readonly sfn: SFNClient;
  /** Where batches' events are stored (the artifacts bucket). */
  readonly artifacts: Artifacts;
  readonly stateMachineArn: string;
  readonly now: () => Date;
}

export interface BatchFindingsSummary extends Omit<BatchPlan, 'executions' | 'sources'> {
  readonly events: number;
  readonly started: number;
  readonly alreadyStarted: number;
  /** Queue messages that were not JSON: logged and dropped, never retried forever. */
  readonly unreadable: number;
  /** Executions that could not start, with why; their messages come back (`batchItemFailures`). */
  readonly failed: readonly string[];
  readonly batchItemFailures: SQSBatchResponse['batchItemFailures'];
}

/** A Step Functions execution name (at most 80 of `[A-Za-z0-9-_]`) for an event id. */
export function executionName(event: unknown, index: number): string {
  const id = (event as { id?: unknown } | null)?.id;
  const safe = typeof id === 'string' ? id.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80) : '';
  return safe === '' ? `event-${index}` : safe;
}

export async function batchFindings(sqsEvent: SQSEvent, deps: BatchFindingsDeps): Promise<BatchFindingsSummary> {
  const events: unknown[] = [];
  const messageIds: string[] = [];
  let unreadable = 0;
  for (const record of sqsEvent.Records) {
    try {
      events.push(JSON.parse(record.body));
      messageIds.push(record.messageId);
    } catch {
      unreadable += 1;
    }
  }
  const { executions, sources, ...plan } = planBatches(events, deps.config, {
    maxFindings: deps.config.batching.maxFindings,
    batchable: await skillCoverage(deps.config),
    now: deps.now(),
  });
  let started = 0;
  let alreadyStarted = 0;
  const failed: string[] = [];
  const retry = new Set<string>();
  for (const [i, execution] of executions.entries()) {
    const name = executionName(execution, i);
    try {
      const input = await batchByReference(deps.artifacts, execution);
      if (await startOnce(deps.sfn, deps.stateMachineArn, name, input)) started += 1;
      else alreadyStarted += 1;
    } catch (error) {
      // Only this execution's messages come back; the execution names dedupe what did start.
      failed.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      for (const source of sources[i] ?? []) retry.add(messageIds[source]!);
    }
  }
  const batchItemFailures = [...retry].map((itemIdentifier) => ({ itemIdentifier }));
  return { ...plan, events: events.length, started, alreadyStarted, unreadable, failed, batchItemFailures };
}

const deps = once((): BatchFindingsDeps => {
  const config = bundledConfig(process.env);
  return {
    config,
    sfn: new SFNClient({}),
    artifacts: lazyPort<Artifacts>(() => artifacts(process.env, config)),
    stateMachineArn: required(process.env, ENV.remediateStateMachineArn),
    now: () => new Date(),
  };
});

/** The batching stage as the deployed function runs it. */
export function batchFindingsFromEnvironment(event: SQSEvent): Promise<BatchFindingsSummary> {
  return batchFindings(event, deps());
}
