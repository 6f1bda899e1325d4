import { CloudmendError } from '../errors.js';
import type { FindingRecord } from './port.js';
import type { FindingState } from './states.js';

/**
 * A conditional write lost: the finding is no longer in the state the caller expected, or an
 * approval id is already taken. Another run got there first; re-read before deciding anything.
 */
export class LedgerConflictError extends CloudmendError {
  override name = 'LedgerConflictError';
  /** The finding as it is now, when the conflict is about a finding. */
  readonly record: FindingRecord | undefined;
  /** Shortcut for `record.state`. */
  readonly currentState: FindingState | undefined;

  constructor(message: string, options: { cause?: unknown; fingerprint?: string; record?: FindingRecord } = {}) {
    super(message, options);
    this.record = options.record;
    this.currentState = options.record?.state;
  }
}

/** The conflict of a move whose finding is no longer in any of `from`: another writer moved it first. */
export function movedError(fingerprint: string, current: FindingRecord, from: readonly FindingState[]): LedgerConflictError {
  return new LedgerConflictError(`finding ${fingerprint} is ${current.state}, not ${from.join(' or ')}: another run moved it`, {
    fingerprint,
    record: current,
  });
}

/** The state machine does not allow the requested move: a bug in the caller, not a race. */
export class InvalidTransitionError extends CloudmendError {
  override name = 'InvalidTransitionError';
  readonly from: readonly FindingState[];
  readonly to: FindingState;

  constructor(from: readonly FindingState[], to: FindingState, options: { fingerprint?: string } = {}) {
    const subject = options.fingerprint === undefined ? 'a finding' : `finding ${options.fingerprint}`;
    super(`cannot move ${subject} from ${from.join(' or ') || '(no state)'} to ${to}`, options);
    this.from = from;
    this.to = to;
  }
}

/** The fingerprint has never been claimed or skipped in this ledger. */
export class LedgerNotFoundError extends CloudmendError {
  override name = 'LedgerNotFoundError';

  constructor(fingerprint: string) {
    super(`finding ${fingerprint} is not in the ledger`, { fingerprint });
  }
}

/**
 * The ledger cannot be used right now or at all: locked by another process beyond the busy timeout,
 * not a database, corrupt, or written by a newer cloudmend. The message says what to do.
 */
export class LedgerUnavailableError extends CloudmendError {
  override name = 'LedgerUnavailableError';
  override readonly userFacing = true;
}

/**
 * The ledger is throttled, briefly failing or held by another writer (a DynamoDB table, a SQLite
 * file locked beyond the busy timeout): the same call is likely to work a little later. Still a
 * `LedgerUnavailableError` (so `instanceof` checks keep working); its name is
 * `cloudmend.Transient`, the error the state machines retry with backoff.
 */
export class LedgerBusyError extends LedgerUnavailableError {
  override name = 'cloudmend.Transient';
}

/** A ledger method was called after `close()`: a bug in the caller's lifecycle handling. */
export class LedgerClosedError extends CloudmendError {
  override name = 'LedgerClosedError';
}
