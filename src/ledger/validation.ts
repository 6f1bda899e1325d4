/**
 * Checks of caller input shared by every ledger adapter. A bad value is a bug in the caller, so it
 * throws `RangeError` (as a bad `list` limit does) before anything is written.
 */
import { SMOKE_RUN_ID } from '../smoke/finding.js';
import { InvalidTransitionError, LedgerConflictError } from './errors.js';
import type { FindingSummary, RetryInput, SmokeRun, Suppression, TransitionInput } from './port.js';
import { TERMINAL_STATES, canTransition, type FindingState } from './states.js';

/** What an approval's `choice` must look like: a lowercase word, e.g. `codify`. */
export const CHOICE_PATTERN = /^[a-z][a-z_]{0,31}$/;

/**
 * The longest suppression key, in UTF-16 code units (`String.prototype.length`). At most 3 bytes
 * of UTF-8 per unit, so a key and its prefix stay well inside DynamoDB's 2,048-byte partition key.
 */
export const MAX_SUPPRESSION_KEY_LENGTH = 512;

/** A value for an error message: quoted, and cut short so a huge input cannot flood the logs. */
function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** Throws `RangeError` unless `choice` is undefined or matches `CHOICE_PATTERN`. */
export function checkChoice(choice: string | undefined): void {
  if (choice !== undefined && !CHOICE_PATTERN.test(choice)) {
    throw new RangeError(
      `an approval choice must be a lowercase word matching ${CHOICE_PATTERN.source} (e.g. codify), got ${shown(choice)}`,
    );
  }
}

/** True when `key` can be stored as a suppression key: 1 to `MAX_SUPPRESSION_KEY_LENGTH` long. */
export function isSuppressionKey(key: string): boolean {
  return key.length >= 1 && key.length <= MAX_SUPPRESSION_KEY_LENGTH;
}

/** Throws `RangeError` for an empty key or one longer than `MAX_SUPPRESSION_KEY_LENGTH`. */
export function checkSuppression(suppression: Suppression): void {
  const { key } = suppression;
  if (!isSuppressionKey(key)) {
    throw new RangeError(
      `a suppression key must be 1 to ${MAX_SUPPRESSION_KEY_LENGTH} characters long, got ${key.length} (${shown(key)}); ` +
        'shorten the resource key, e.g. by hashing it',
    );
  }
}

/** The audit event data of a `suppression.set`: what was suppressed, until when, and why. */
export function suppressionEventData(suppression: Suppression): Record<string, unknown> {
  return { key: suppression.key, until: suppression.until.toISOString(), reason: suppression.reason };
}

/** Throws `RangeError` for a runId that is not a smoke run's (12 lowercase hexadecimal digits). */
export function checkSmokeRun(run: SmokeRun): void {
  if (!SMOKE_RUN_ID.test(run.runId))
    throw new RangeError(`a smoke run id is 12 lowercase hexadecimal digits (${SMOKE_RUN_ID.source}), got ${shown(run.runId)}`);
}

/** Recording `run` again is idempotent; throws `LedgerConflictError` when `stored`, its runId's record, says otherwise. */
export function checkSameSmokeRun(stored: SmokeRun, run: SmokeRun): void {
  const fields = (r: SmokeRun): string => JSON.stringify([r.repository, r.by, r.startedAt, r.expiresAt]);
  if (fields(stored) !== fields(run))
    throw new LedgerConflictError(
      `smoke run ${run.runId} is already recorded (repository ${stored.repository}, by ${stored.by}, started ` +
        `${stored.startedAt.toISOString()}); start another run, with another id`,
    );
}

/** Throws `InvalidTransitionError` at once, before any I/O, when the move itself is not allowed. */
export function checkTransition(input: TransitionInput): readonly FindingState[] {
  const from = typeof input.from === 'string' ? [input.from] : input.from;
  // Every `from` must allow the move: a caller bug surfaces the same way whatever the stored state.
  if (from.length === 0 || !from.every((state) => canTransition(state, input.to))) {
    throw new InvalidTransitionError(from, input.to, { fingerprint: input.fingerprint });
  }
  return from;
}

/** The summary a transition leaves: the same, with the severity the work found when it says one. */
export function summaryAfter(summary: FindingSummary, input: TransitionInput): FindingSummary {
  return input.severity === undefined ? summary : { ...summary, severity: input.severity };
}

/** The `list` limit (default 100); throws `RangeError` unless it is a whole number >= 0. */
export function listLimit(limit: number | undefined): number {
  const value = limit ?? 100;
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`list limit must be a whole number >= 0, got ${value}`);
  return value;
}

/**
 * The move a retry makes, the same in every adapter: from any finished state to `failed`, the state
 * the next claim already takes over (a dedicated state would have to be taught to every reader of
 * the ledger: claim, the sweep, status counts); the reason says it was a retry, not a fault.
 */
export function retryTransition(input: RetryInput): TransitionInput & { readonly from: readonly FindingState[] } {
  const { fingerprint, actor, at } = input;
  return { fingerprint, from: TERMINAL_STATES, to: 'failed', actor, at, reason: `retry: ${input.reason}` };
}
