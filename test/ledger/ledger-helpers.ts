/** Fixtures shared by the ledger tests: fixed times, a summary, and a way to reach any state. */
import { afterEach, beforeEach } from 'vitest';
import type { ClaimInput, FindingRecord, FindingSummary, Ledger, SkipInput, TransitionInput } from '../../src/ledger/port.js';
import type { FindingState } from '../../src/ledger/states.js';

/** Opens a fresh, empty ledger and says how to dispose of it; one per adapter. */
/** What a ledger under contract can be held to. */
export interface ContractOptions {
  /**
   * Whether concurrent conditional writes are atomic (a real database: SQLite, DynamoDB). moto_server
   * checks a condition and writes in separate steps across its request threads, so the concurrency
   * cases are skipped there.
   * @default true
   */
  readonly atomicUnderConcurrency?: boolean | undefined;
}

export type OpenLedger = () => Promise<{ ledger: Ledger; cleanup: () => Promise<void> }>;

/** Register hooks that give every test of the enclosing `describe` its own fresh ledger. */
export function useFreshLedger(open: OpenLedger, use: (ledger: Ledger) => void): void {
  let cleanup: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    const opened = await open();
    cleanup = opened.cleanup;
    use(opened.ledger);
  });
  afterEach(async () => {
    await cleanup?.();
  });
}

export const T0 = new Date('2025-03-01T12:00:00.000Z');

/** `T0` plus `seconds`. */
export function later(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

export const summary: FindingSummary = {
  source: 'securityhub',
  controlId: 'S3.8',
  title: 'S3 general purpose buckets should block public access',
  severity: 'HIGH',
  account: '123456789012',
  region: 'eu-west-1',
  resourceType: 'AwsS3Bucket',
  resourceId: 'arn:aws:s3:::logs',
};

/** A claim of `fingerprint` by `test` at `T0`, with `extra` overriding any field. */
export function claimOf(fingerprint: string, extra: Partial<ClaimInput> = {}): ClaimInput {
  return { fingerprint, summary, actor: 'test', at: T0, ...extra };
}

/** A skip of `fingerprint` by `test` at `T0`, with `extra` overriding any field. */
export function skipOf(fingerprint: string, reason: string, extra: Partial<SkipInput> = {}): SkipInput {
  return { fingerprint, summary, actor: 'test', at: T0, reason, ...extra };
}

/** A transition of `fingerprint` by `test` at `T0`, with `extra` overriding any field. */
export function move(
  fingerprint: string,
  from: TransitionInput['from'],
  to: TransitionInput['to'],
  extra: Partial<TransitionInput> = {},
): TransitionInput {
  return { fingerprint, from, to, actor: 'test', at: T0, ...extra };
}

/** The transitions that lead from `claimed` to each state (`skipped` is reached by `recordSkip`). */
const PATHS: Readonly<Record<Exclude<FindingState, 'skipped'>, readonly FindingState[]>> = {
  claimed: [],
  located: ['located'],
  no_target: ['no_target'],
  observed: ['observed'],
  failed: ['failed'],
  patched: ['located', 'patched'],
  no_fix: ['located', 'no_fix'],
  in_sync: ['located', 'in_sync'],
  needs_model: ['located', 'needs_model'],
  recommended: ['located', 'patched', 'recommended'],
  blocked: ['located', 'patched', 'blocked'],
  pr_opened: ['located', 'patched', 'pr_opened'],
  awaiting_approval: ['located', 'patched', 'awaiting_approval'],
  approved: ['located', 'patched', 'awaiting_approval', 'approved'],
  rejected: ['located', 'patched', 'awaiting_approval', 'rejected'],
  expired: ['located', 'patched', 'awaiting_approval', 'expired'],
};

/** Create `fingerprint` and walk it to `state` through legal moves; returns the stored record. */
export async function driveTo(ledger: Ledger, fingerprint: string, state: FindingState): Promise<FindingRecord> {
  if (state === 'skipped') {
    return (await ledger.recordSkip(skipOf(fingerprint, 'test skip'))).record;
  }
  let record = (await ledger.claim(claimOf(fingerprint))).record;
  for (const [i, to] of PATHS[state].entries()) {
    record = await ledger.transition(move(fingerprint, record.state, to, { at: later(i + 1) }));
  }
  return record;
}

/** The rejection reason of `promise`; fails the test when it resolves. */
export async function catchError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Name, message and stack of `error` and of every error in its `cause` chain, to check what leaks. */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) parts.push(e.name, e.message, e.stack ?? '');
  return parts.join('\n');
}
