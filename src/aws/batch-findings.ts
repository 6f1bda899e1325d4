/**
 * The batching stage in AWS: EventBridge puts imported findings on an SQS queue; Lambda receives
 * what arrived within the batching window (the event source mapping's window), and this plans the
 * batches (src/triggers/batching.ts) and starts one remediate execution per batch or event. The
 * execution name is the batch's or event's id, so a redelivered SQS batch never starts one twice.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import type { SQSEvent } from 'aws-lambda';
import type { Config } from '../config/schema.js';
import { planBatches, skillCoverage, type BatchPlan } from '../triggers/batching.js';
import { bundledConfig, once } from './context.js';
import { ENV, required } from './environment.js';
import { startOnce } from './executions.js';

export interface BatchFindingsDeps {
  readonly config: Config;
  readonly sfn: SFNClient;
  readonly stateMachineArn: string;
  readonly now: () => Date;
}

export interface BatchFindingsSummary extends Omit<BatchPlan, 'executions'> {
  readonly events: number;
  readonly started: number;
  readonly alreadyStarted: number;
  /** Queue messages that were not JSON: logged and dropped, never retried forever. */
  readonly unreadable: number;
}

/** A Step Functions execution name (at most 80 of `[A-Za-z0-9-_]`) for an event id. */
export function executionName(event: unknown, index: number): string {
  const id = (event as { id?: unknown } | null)?.id;
  const safe = typeof id === 'string' ? id.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80) : '';
  return safe === '' ? `event-${index}` : safe;
}

export async function batchFindings(sqsEvent: SQSEvent, deps: BatchFindingsDeps): Promise<BatchFindingsSummary> {
  const events: unknown[] = [];
  let unreadable = 0;
  for (const record of sqsEvent.Records) {
    try {
      events.push(JSON.parse(record.body));
    } catch {
      unreadable += 1;
    }
  }
  const { executions, ...plan } = planBatches(events, deps.config, { maxFindings: deps.config.batching.maxFindings, batchable: await skillCoverage(deps.config), now: deps.now() });
  let started = 0;
  let alreadyStarted = 0;
  // Any other failure fails the whole SQS batch, which comes back and is deduplicated by name.
  for (const [i, execution] of executions.entries()) {
    if (await startOnce(deps.sfn, deps.stateMachineArn, executionName(execution, i), execution)) started += 1;
    else alreadyStarted += 1;
  }
  return { ...plan, events: events.length, started, alreadyStarted, unreadable };
}

const deps = once(
  (): BatchFindingsDeps => ({ config: bundledConfig(process.env), sfn: new SFNClient({}), stateMachineArn: required(process.env, ENV.remediateStateMachineArn), now: () => new Date() }),
);

/** The batching stage as the deployed function runs it. */
export function batchFindingsFromEnvironment(event: SQSEvent): Promise<BatchFindingsSummary> {
  return batchFindings(event, deps());
}
