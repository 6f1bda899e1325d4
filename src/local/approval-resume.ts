/**
 * Approvals outlive the run that asked. In AWS the execution waits in Step Functions, and the
 * decision's SendTaskSuccess / SendTaskFailure continues it whenever it comes. Locally the
 * execution lives in a process that may be gone by then (Ctrl-C, `serve` stopped), so the runtime
 * keeps what the execution held at RequestApproval, beside the approval. The next `run` or `serve`
 * takes over each approval whose run is gone: it becomes the approval's waiter (its task token,
 * compare-and-set in the ledger, so two starts never both take one and a live waiter is never
 * taken from) and continues the execution from RequestApproval with the state kept, through the
 * same ASL: a decision made meanwhile is carried out at once (approved → the pull request of
 * exactly the patch that was approved; rejected → recorded so); a request still undecided is
 * waited on under the same id, so the Slack message or `approve <id>` already given stays good.
 * One past its deadline is left to recovery, which expires it as the expiry would.
 *
 * A patch is held to its digest: if the stored patch is not the one the approvers saw, nothing is
 * opened: one found changed before is not taken over (recovery restarts its finding: it is asked
 * again), one found changed once approved fails its finding.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Artifacts } from '../artifacts/port.js';
import type { TaskContext } from '../workflow/context.js';
import type { IterationState } from '../workflow/types.js';
import { localTaskToken, recoverInterrupted, runIsAlive, waiterOf } from './recovery.js';
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

/** Throws unless the patch artifact of `held` is still the one the approvers were shown (`seen`: what they did with it). */
async function samePatch(artifacts: Artifacts, held: Held, seen: 'approved' | 'asked about'): Promise<void> {
  const key = held.state.patch?.artifact;
  if (key === undefined || digest(await artifacts.get(key)) !== held.patch)
    throw new Error(`its patch is no longer the one that was ${seen}`);
}

/** How a run goes on with an execution another run left at RequestApproval. */
export interface Resume {
  /**
   * Runs the execution on from RequestApproval with `state`, as execution `executionId` (the one
   * the approval's task token names now); `approved` runs once an approval is in, before the pull request.
   */
  resume(approvalId: string, state: IterationState, executionId: string, approved: () => Promise<void>): Promise<RunOutput>;
}

/** An approval whose run is gone, taken over by this run (its task token names this run now). */
export interface Taken {
  readonly approvalId: string;
  /** The decision made while no run waited; undefined for a request still undecided, which the execution waits on. */
  readonly decision?: string | undefined;
  /** Runs the execution on from RequestApproval; what it ended with. */
  readonly continue: () => Promise<RunOutput>;
}

/**
 * Takes over every approval, decided or still undecided before its deadline, whose waiting run is
 * gone; the caller continues each (`Taken.continue`). One that cannot be continued is reported and
 * left to recovery, which restarts its findings (or ends them, past the deadline).
 */
export async function takeOver(
  ctx: Pick<TaskContext, 'ledger' | 'artifacts' | 'actor' | 'now'>,
  runtime: Resume,
  report: (message: string) => void,
): Promise<Taken[]> {
  const waiting = await ctx.ledger.list({ state: ['awaiting_approval', 'approved'], limit: 10_000 });
  const ids = new Set(waiting.flatMap((r) => (typeof r.data?.approvalId === 'string' ? [r.data.approvalId] : [])));
  const taken: Taken[] = [];
  for (const id of ids) {
    const approval = await ctx.ledger.getApproval(id);
    if (!approval || approval.status === 'expired') continue;
    const waiter = waiterOf(approval);
    if (waiter === undefined || runIsAlive(waiter) !== false) continue;
    const pending = approval.status === 'pending';
    if (pending && ctx.now().getTime() >= approval.expiresAt.getTime()) continue;
    const decision = pending ? undefined : (approval.choice ?? approval.status);
    let held: Held;
    try {
      held = await ctx.artifacts.get<Held>(heldKey(id));
      // Only an approval opens anything: its patch must be the one the approvers saw (or are shown).
      if (approval.status !== 'rejected') await samePatch(ctx.artifacts, held, pending ? 'asked about' : 'approved');
    } catch (error) {
      report(`approval ${id} (${decision ?? 'pending'}) cannot be continued: ${(error as Error).message}; its finding runs again instead`);
      continue;
    }
    const executionId = randomUUID();
    // Another start took it first: it is that run's.
    if (!(await ctx.ledger.reassignApproval({ id, from: approval.taskToken, to: localTaskToken(ctx.actor, executionId) }))) continue;
    report(
      decision === undefined
        ? `waiting on approval ${id}, asked by a run that is gone, until ${approval.expiresAt.toISOString()}`
        : `continuing approval ${id}: ${decision} by ${approval.decidedBy ?? 'an approver'} while no run waited`,
    );
    const state = held.state;
    taken.push({
      approvalId: id,
      decision,
      continue: () => runtime.resume(id, state, executionId, () => samePatch(ctx.artifacts, held, 'approved')),
    });
  }
  return taken;
}

/** What the start of a run did about the runs before it. */
export interface Recovered {
  /** The approvals taken over, to continue. */
  readonly taken: readonly Taken[];
  /** Fingerprints of findings recorded as interrupted, to run again. */
  readonly interrupted: readonly string[];
}

/**
 * What every `run` and `serve` does first (and `serve` again every few minutes): take over the
 * approvals whose run is gone, then record what interrupted runs left in flight (the findings of
 * approvals taken over have a live waiter again: recovery leaves them alone).
 */
export async function finishInterrupted(
  ctx: Pick<TaskContext, 'ledger' | 'artifacts' | 'actor' | 'now' | 'config'>,
  runtime: Resume,
  report: (message: string) => void,
): Promise<Recovered> {
  const taken = await takeOver(ctx, runtime, report);
  return { taken, interrupted: await recoverInterrupted(ctx, report) };
}
