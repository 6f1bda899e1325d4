/**
 * Findings stuck in flight, decided the same way everywhere: `cloudmend run` and `serve` recover
 * them on start (and `serve` every few minutes), the scheduled sweep in AWS every 15 minutes (functions/sweep.ts).
 *
 * A run can end without recording how its findings ended: a killed process locally; in AWS an
 * execution that fails where no Catch sees it (`States.DataLimitExceeded`, an abort, a crash
 * between two writes). Its findings would stay in flight for ever, and a finding in flight is
 * never claimed again. A finding is stuck once it has been in flight `recovery.stuckAfter` beyond
 * the longest legitimate wait of its state; it is then recorded as interrupted (a transition whose
 * reason says so, in the audit trail) and restarted or ended, by its state (see `endOf`).
 *
 * Restarting means `failed`, which the next claim takes over: the finding runs again on its next
 * delivery (an EventBridge event, the backfill, `cloudmend run` again). Nothing here starts an
 * execution: the ledger keeps a summary of the finding, not the event it came in, and the event
 * that is delivered next is also the one that says what the finding looks like now.
 */
import type { Config } from '../config/schema.js';
import { LedgerConflictError } from '../ledger/errors.js';
import type { FindingRecord, Ledger } from '../ledger/port.js';
import { IN_FLIGHT_STATES, type FindingState } from '../ledger/states.js';

export interface StuckBounds {
  /** `recovery.stuckAfter`: how long past its legitimate wait a finding may stay in flight. */
  readonly stuckAfterSeconds: number;
  /** `approvals.timeout`: the wait of a finding whose approval recorded no deadline. */
  readonly approvalTimeoutSeconds: number;
}

export function stuckBounds(config: Pick<Config, 'recovery' | 'approvals'>): StuckBounds {
  return { stuckAfterSeconds: config.recovery.stuckAfter, approvalTimeoutSeconds: config.approvals.timeout };
}

/** What the interruption did to one finding. */
export interface Interruption {
  readonly fingerprint: string;
  readonly from: FindingState;
  /** `failed`: restarted by the next delivery; `expired`: ended. */
  readonly to: 'failed' | 'expired';
  readonly reason: string;
}

export interface SweepDeps {
  readonly ledger: Ledger;
  readonly actor: string;
  readonly now: () => Date;
  readonly bounds: StuckBounds;
  /**
   * Findings known to be interrupted whatever their age, with the cause (locally: the process that
   * held them is gone). With it every finding in flight is read, else only those older than the bound.
   * @default - none: only the time bound decides
   */
  readonly knownInterrupted?: ((record: FindingRecord) => string | undefined | Promise<string | undefined>) | undefined;
  /** Findings looked at per sweep at most; the rest wait for the next one. @default 1000 */
  readonly limit?: number | undefined;
  readonly report?: ((message: string) => void) | undefined;
}

export interface SweepSummary {
  readonly interrupted: readonly Interruption[];
  /** Findings the sweep could not record; the next sweep tries again. */
  readonly failed: number;
}

const text = (seconds: number): string =>
  seconds % 3600 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;

/**
 * Until when `record` may legitimately stay where it is: a run moves a finding it works on within
 * minutes (the Sandbox state, the longest, ends within 3,900 s, tried at most four times), so its
 * last update; a finding awaiting approval waits for its approval's deadline.
 */
function legitimateUntil(record: FindingRecord, bounds: StuckBounds): Date {
  if (record.state !== 'awaiting_approval') return record.updatedAt;
  const deadline = typeof record.data?.expiresAt === 'string' ? new Date(record.data.expiresAt) : undefined;
  return deadline !== undefined && !Number.isNaN(deadline.getTime())
    ? deadline
    : new Date(record.updatedAt.getTime() + bounds.approvalTimeoutSeconds * 1000);
}

/** Why `record` counts as stuck at `now` (strictly past its bound), or undefined while it may still be where it is. */
export function stuckCause(record: FindingRecord, now: Date, bounds: StuckBounds): string | undefined {
  const until = legitimateUntil(record, bounds);
  if (now.getTime() <= until.getTime() + bounds.stuckAfterSeconds * 1000) return undefined;
  const over = `${text(bounds.stuckAfterSeconds)} (recovery.stuckAfter)`;
  return record.state === 'awaiting_approval'
    ? `nobody decided by ${until.toISOString()}, and the run that asked recorded nothing in the ${over} after`
    : `nothing moved it from ${record.state} since ${until.toISOString()}, more than ${over}: the run working on it ended without recording how`;
}

/**
 * What a stuck finding becomes, by the state it was stuck in:
 * - claimed, located, patched: the work stopped half-way and nobody waits on it: restarted
 *   (`failed`). Branches are idempotent, so a patch already pushed is found again, not doubled.
 * - approved: a person approved, the pull request was not opened: restarted. The approval is not
 *   reused: the new run patches the code as it is then, and asks again about that patch. (Locally a
 *   run first takes over an approval whose run is gone, decided or not yet, from the state that run
 *   kept: src/local/approval-resume.ts; in AWS the execution itself waits for the decision.)
 * - awaiting_approval, past its approval's deadline: ended (`expired`), as the approval expiry ends
 *   it when the run is there: the approvers had their whole time. Before the deadline (a dead local
 *   process whose approval could not be taken over) the request can no longer reach a run:
 *   restarted, to be asked again.
 *   So is one whose approval was decided but not carried to the finding (its decider crashed).
 */
function endOf(record: FindingRecord, approvalExpired: boolean, at: Date, bounds: StuckBounds): Interruption['to'] {
  if (record.state !== 'awaiting_approval') return 'failed';
  return approvalExpired && at.getTime() >= legitimateUntil(record, bounds).getTime() ? 'expired' : 'failed';
}

/**
 * Records `candidate` as interrupted by `cause`. Reads the finding again first and leaves it alone
 * if it has moved since it was listed (its run was alive after all, or another sweep took it);
 * returns undefined then. A pending approval of it is expired: no run waits for the answer.
 */
export async function interrupt(
  ledger: Ledger,
  candidate: FindingRecord,
  cause: string,
  actor: string,
  at: Date,
  bounds: StuckBounds,
): Promise<Interruption | undefined> {
  const record = await ledger.get(candidate.fingerprint);
  if (record === undefined || record.version !== candidate.version) return undefined;
  let approvalExpired = true;
  const approvalId = record.data?.approvalId;
  if (record.state === 'awaiting_approval' && typeof approvalId === 'string') {
    const decided = await ledger.decideApproval({ id: approvalId, decision: 'expired', actor, at });
    approvalExpired = decided.outcome === 'not_found' || decided.approval.status === 'expired';
  }
  const to = endOf(record, approvalExpired, at, bounds);
  const reason = `interrupted: ${cause}`;
  try {
    await ledger.transition({ fingerprint: record.fingerprint, from: record.state, to, actor, at, reason });
  } catch (error) {
    if (error instanceof LedgerConflictError) return undefined;
    throw error;
  }
  return { fingerprint: record.fingerprint, from: record.state, to, reason };
}

/**
 * Records every stuck finding as interrupted. Reads the state index by update time (never a scan);
 * one finding that cannot be recorded is counted and reported, and the sweep goes on.
 */
export async function sweepStuck(deps: SweepDeps): Promise<SweepSummary> {
  const now = deps.now();
  const { bounds, ledger } = deps;
  const limit = deps.limit ?? 1000;
  const before = (seconds: number): Date => new Date(now.getTime() - seconds * 1000);
  // Awaiting approval has its own, later bound (its deadline comes first): the many waiting their
  // approvers' time then never crowd the stuck ones out of the `limit`.
  const candidates = deps.knownInterrupted
    ? await ledger.list({ state: IN_FLIGHT_STATES, limit })
    : [
        ...(await ledger.list({
          state: IN_FLIGHT_STATES.filter((s) => s !== 'awaiting_approval'),
          updatedBefore: before(bounds.stuckAfterSeconds),
          limit,
        })),
        ...(await ledger.list({
          state: 'awaiting_approval',
          updatedBefore: before(bounds.stuckAfterSeconds + bounds.approvalTimeoutSeconds),
          limit,
        })),
      ];
  const interrupted: Interruption[] = [];
  let failed = 0;
  for (const record of candidates) {
    try {
      const cause = (await deps.knownInterrupted?.(record)) ?? stuckCause(record, now, bounds);
      if (cause === undefined) continue;
      const done = await interrupt(ledger, record, cause, deps.actor, deps.now(), bounds);
      if (done) interrupted.push(done);
    } catch (error) {
      failed += 1;
      deps.report?.(`recording finding ${record.fingerprint} as interrupted failed: ${(error as Error).name}: ${(error as Error).message}`);
    }
  }
  return { interrupted, failed };
}
