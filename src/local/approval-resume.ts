/**
 * Approvals outlive the run that asked. In AWS the execution waits in Step Functions, and the
 * decision's SendTaskSuccess / SendTaskFailure continues it whenever it comes. Locally the
 * execution lives in a process that may be gone by then (Ctrl-C, `serve` stopped), so the runtime
 * keeps what the execution held at RequestApproval, beside the approval; the next `run` or `serve`
 * continues a decision no live run waits for from that state, through the same ASL: approved → the
 * pull request of exactly the patch that was approved; rejected → recorded so.
 *
 * An approved patch is held to its digest: if the stored patch is not the one the approvers saw,
 * nothing is opened, and recovery restarts the finding (it is asked again).
 */
import { createHash } from 'node:crypto';
import type { Artifacts } from '../artifacts/port.js';
import type { TaskContext } from '../workflow/context.js';
import type { IterationState } from '../workflow/types.js';
import { recoverInterrupted, runIsAlive, waiterOf } from './recovery.js';
import type { RunOutput } from './runtime.js';

/** What a run kept of an execution waiting on an approval. */
interface Held {
  readonly state: IterationState;
  /** sha256 of the patch artifact as it was when the approval was asked. */
  readonly patch: string;
}

const heldKey = (approvalId: string): string => `approvals/${approvalId}.json`;
const digest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** Keeps the state of an execution that waits on `approvalId`, so that another run can continue it. */
export async function keepForResume(artifacts: Artifacts, approvalId: string, state: IterationState): Promise<void> {
  const key = state.patch?.artifact;
  if (key === undefined) return;
  await artifacts.put(heldKey(approvalId), { state, patch: digest(await artifacts.get(key)) } satisfies Held);
}

/** A decision continued, and what the continued execution ended with. */
export interface Resumed {
  readonly approvalId: string;
  readonly decision: string;
  readonly out: RunOutput;
}

/**
 * Continues every decided approval whose waiting run is gone (`resume` runs the ASL from
 * RequestApproval with the state kept). One that cannot be continued is reported and left to
 * recovery, which restarts its findings.
 */
export async function resumeDecided(
  ctx: Pick<TaskContext, 'ledger' | 'artifacts'>,
  resume: (approvalId: string, state: IterationState) => Promise<RunOutput>,
  report: (message: string) => void,
): Promise<Resumed[]> {
  const waiting = await ctx.ledger.list({ state: ['awaiting_approval', 'approved'], limit: 10_000 });
  const ids = new Set(waiting.flatMap((r) => (typeof r.data?.approvalId === 'string' ? [r.data.approvalId] : [])));
  const resumed: Resumed[] = [];
  for (const id of ids) {
    const approval = await ctx.ledger.getApproval(id);
    if (!approval || (approval.status !== 'approved' && approval.status !== 'rejected')) continue;
    const waiter = waiterOf(approval);
    if (waiter === undefined || runIsAlive(waiter) !== false) continue;
    const decision = approval.choice ?? approval.status;
    let held: Held;
    try {
      held = await ctx.artifacts.get<Held>(heldKey(id));
      const key = held.state.patch?.artifact;
      // Only an approval opens anything: its patch must be the one the approvers saw.
      if (approval.status === 'approved' && (key === undefined || digest(await ctx.artifacts.get(key)) !== held.patch))
        throw new Error('its patch is no longer the one that was approved');
    } catch (error) {
      report(`approval ${id} (${decision}) cannot be continued: ${(error as Error).message}; its finding runs again instead`);
      continue;
    }
    report(`continuing approval ${id}: ${decision} by ${approval.decidedBy ?? 'an approver'} while no run waited`);
    resumed.push({ approvalId: id, decision, out: await resume(id, held.state) });
  }
  return resumed;
}

/** What the start of a run did about the runs before it. */
export interface Recovered {
  readonly resumed: readonly Resumed[];
  /** Fingerprints of findings recorded as interrupted, to run again. */
  readonly interrupted: readonly string[];
}

/**
 * What every `run` and `serve` does first (and `serve` again every few minutes): continue the
 * decisions no run waited for, then record what interrupted runs left in flight.
 */
export async function finishInterrupted(
  ctx: Pick<TaskContext, 'ledger' | 'artifacts' | 'actor' | 'now' | 'config'>,
  runtime: { resume: (approvalId: string, state: IterationState) => Promise<RunOutput> },
  report: (message: string) => void,
): Promise<Recovered> {
  const resumed = await resumeDecided(ctx, (id, state) => runtime.resume(id, state), report);
  return { resumed, interrupted: await recoverInterrupted(ctx, report) };
}
