/**
 * After `kill -9`: findings a dead local process held mid-flight would stay claimed forever. At
 * the start of every `run` and `serve` (and while `serve` is up), those of processes that are gone,
 * and any stuck past the bound whoever holds them (a process on another host, a run that hung),
 * are recorded as interrupted the way the AWS sweep records them (src/workflow/recovery.ts), so the
 * run can claim them again: nothing is lost, and branches are idempotent, so nothing is doubled.
 * A finding waiting on an approval is held by the run that waits (its approval's task token names
 * it), not by whoever decided: an approval whose run is gone is taken over first (approval-resume.ts),
 * so only those that cannot be (past their deadline, their state not kept) are recorded here.
 */
import { hostname } from 'node:os';
import type { ApprovalRecord, FindingRecord } from '../ledger/port.js';
import type { TaskContext } from '../workflow/context.js';
import { stuckBounds, sweepStuck } from '../workflow/recovery.js';

/** The runs this process has open (from `openLocal` to its `close`): its own actors that are alive. */
const openRuns = new Set<string>();

/** `local:<host>:<pid>:<run>` */
export function localActor(runId: string): string {
  return `local:${hostname()}:${process.pid}:${runId}`;
}

/** Marks `actor` a run of this process that is going on; the function returned ends it. */
export function openRun(actor: string): () => void {
  openRuns.add(actor);
  return () => void openRuns.delete(actor);
}

/** The task token the local runtime hands a `.waitForTaskToken` state: the waiting run's actor, then the execution. */
export function localTaskToken(actor: string, executionId: string): string {
  return `${actor}:${executionId}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the local run `actor` (or a local task token) names is still going: false when its
 * process on this host is gone, or is this process and the run is no longer open here (a
 * container's entry point is pid 1 every time it starts); undefined when it cannot be told
 * (another host, not a local actor).
 */
export function runIsAlive(actor: string): boolean | undefined {
  const [kind, host, pid, run] = actor.split(':');
  if (kind !== 'local' || host !== hostname() || run === undefined) return undefined;
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0) return undefined;
  return n === process.pid ? openRuns.has(`local:${host}:${pid}:${run}`) : isAlive(n);
}

/** The pid of the run `actor` names when it is known to be gone; undefined otherwise. */
function deadOwner(actor: string): number | undefined {
  return runIsAlive(actor) === false ? Number(actor.split(':')[2]) : undefined;
}

/** The run that waits on `approval`: the actor in its local task token (a token from AWS names none). */
export function waiterOf(approval: Pick<ApprovalRecord, 'taskToken'>): string | undefined {
  return runIsAlive(approval.taskToken) === undefined ? undefined : approval.taskToken.split(':').slice(0, 4).join(':');
}

/** Who holds `record`: the run waiting on its approval while there is one, else the last to move it. */
async function holderOf(ctx: Pick<TaskContext, 'ledger'>, record: FindingRecord): Promise<string> {
  const approvalId = record.data?.approvalId;
  if ((record.state !== 'awaiting_approval' && record.state !== 'approved') || typeof approvalId !== 'string') return record.updatedBy;
  const approval = await ctx.ledger.getApproval(approvalId);
  return (approval && waiterOf(approval)) ?? record.updatedBy;
}

/** Records the in-flight findings of dead local runs, and the stuck ones, as interrupted; returns their fingerprints. */
export async function recoverInterrupted(
  ctx: Pick<TaskContext, 'ledger' | 'actor' | 'now' | 'config'>,
  report?: (message: string) => void,
): Promise<string[]> {
  const { interrupted } = await sweepStuck({
    ledger: ctx.ledger,
    actor: ctx.actor,
    now: ctx.now,
    bounds: stuckBounds(ctx.config),
    knownInterrupted: async (record) => {
      const pid = deadOwner(await holderOf(ctx, record));
      return pid === undefined ? undefined : `the run in process ${pid} ended while the finding was ${record.state}`;
    },
    limit: 10_000,
    report,
  });
  return interrupted.map((i) => i.fingerprint);
}
