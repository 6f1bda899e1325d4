/**
 * Deciding an approval, wherever the click came from (CLI, Slack, expiry). The ledger's
 * compare-and-set makes it happen once: double clicks, replays and late clicks change nothing.
 */
import { LedgerConflictError } from '../ledger/errors.js';
import type { DecideResult, Ledger, TransitionInput } from '../ledger/port.js';

export interface Decision {
  readonly id: string;
  readonly decision: 'approved' | 'rejected' | 'expired';
  readonly actor: string;
  readonly at: Date;
  readonly reason?: string | undefined;
  /** A drift approval's choice: `codify` (with approved), `revert` or `ignore` (with rejected). */
  readonly choice?: string | undefined;
}

/** Consumes the approval and moves the finding; `decided` is the only outcome with authority. */
export async function decideApproval(ledger: Ledger, input: Decision): Promise<DecideResult> {
  const result = await ledger.decideApproval(input);
  if (result.outcome === 'decided' || result.outcome === 'expired') {
    const to = result.outcome === 'expired' ? 'expired' : input.decision;
    const current = await ledger.get(result.approval.fingerprint);
    if (current?.state === 'awaiting_approval') {
      await moveUnlessMoved(ledger, {
        fingerprint: result.approval.fingerprint,
        from: 'awaiting_approval',
        to,
        actor: input.actor,
        at: input.at,
        reason:
          input.reason ??
          (to === 'expired'
            ? `nobody decided before ${result.approval.expiresAt.toISOString()}`
            : `${input.choice ?? to} by ${input.actor}`),
        data: { approvalId: input.id, ...(input.choice === undefined ? {} : { choice: input.choice }) },
      });
    }
  }
  return result;
}

/**
 * The finding's move out of `awaiting_approval`, unless the run waiting on the approval moved it
 * first: a local waiter sees the decision in the ledger as soon as it is consumed and records it
 * itself. The approval's compare-and-set above is what decided; either writer's move is the same.
 */
async function moveUnlessMoved(ledger: Ledger, move: TransitionInput): Promise<void> {
  try {
    await ledger.transition(move);
  } catch (error) {
    if (error instanceof LedgerConflictError && error.currentState !== undefined && error.currentState !== 'awaiting_approval') return;
    throw error;
  }
}
