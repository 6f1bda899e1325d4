/**
 * After `kill -9`: findings a dead local process held mid-flight would stay claimed forever. At
 * the start of every `run` and `serve` (and while `serve` is up), those of processes that are gone,
 * and any stuck past the bound whoever holds them (a process on another host, a run that hung),
 * are recorded as interrupted the way the AWS sweep records them (src/workflow/recovery.ts), so the
 * run can claim them again: nothing is lost, and branches are idempotent, so nothing is doubled.
 */
import { hostname } from 'node:os';
import type { TaskContext } from '../workflow/context.js';
import { stuckBounds, sweepStuck } from '../workflow/recovery.js';

/** `local:<host>:<pid>:<run>` */
export function localActor(runId: string): string {
  return `local:${hostname()}:${process.pid}:${runId}`;
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
 * The pid of a local actor on this host whose process is gone; undefined otherwise. `me` is this
 * process's own actor: the same pid under another run id was an earlier process (a container's
 * entry point is pid 1 every time it starts).
 */
function deadOwner(actor: string, me: string): number | undefined {
  const [kind, host, pid, run] = actor.split(':');
  const [, , , myRun] = me.split(':');
  if (kind !== 'local' || host !== hostname()) return undefined;
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0) return undefined;
  return n === process.pid ? (run !== myRun ? n : undefined) : !isAlive(n) ? n : undefined;
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
    knownInterrupted: (record) => {
      const pid = deadOwner(record.updatedBy, ctx.actor);
      return pid === undefined ? undefined : `the run in process ${pid} ended while the finding was ${record.state}`;
    },
    limit: 10_000,
    report,
  });
  return interrupted.map((i) => i.fingerprint);
}
