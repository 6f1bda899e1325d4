/**
 * After `kill -9`: findings a dead local process held mid-flight would stay claimed forever. At
 * the start of every run, those are moved to `failed` (with the reason) so the run can claim them
 * again: nothing is lost, and branches are idempotent, so nothing is doubled.
 */
import { hostname } from 'node:os';
import type { Ledger } from '../ledger/port.js';
import type { FindingState } from '../ledger/states.js';

const IN_FLIGHT: readonly FindingState[] = ['claimed', 'located', 'patched', 'awaiting_approval', 'approved'];

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

/** The pid of a local actor on this host whose process is gone; undefined otherwise. */
function deadOwner(actor: string): number | undefined {
  const [kind, host, pid] = actor.split(':');
  if (kind !== 'local' || host !== hostname()) return undefined;
  const n = Number(pid);
  return Number.isInteger(n) && n > 0 && n !== process.pid && !isAlive(n) ? n : undefined;
}

/** Fails the in-flight findings of dead local runs; returns their fingerprints. */
export async function recoverInterrupted(ledger: Ledger, actor: string, now: () => Date): Promise<string[]> {
  const recovered: string[] = [];
  for (const record of await ledger.list({ state: IN_FLIGHT, limit: 10_000 })) {
    const pid = deadOwner(record.updatedBy);
    if (pid === undefined) continue;
    const approvalId = record.data?.approvalId;
    if (record.state === 'awaiting_approval' && typeof approvalId === 'string') {
      await ledger.decideApproval({ id: approvalId, decision: 'expired', actor, at: now() });
    }
    await ledger.transition({ fingerprint: record.fingerprint, from: record.state, to: 'failed', actor, at: now(), reason: `interrupted: the run in process ${pid} ended while the finding was ${record.state}` });
    recovered.push(record.fingerprint);
  }
  return recovered;
}
