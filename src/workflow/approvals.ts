/**
 * Deciding an approval, wherever the click came from (CLI, Slack, expiry). The ledger's
 * compare-and-set makes it happen once: double clicks, replays and late clicks change nothing.
 */
import type { DecideResult, Ledger } from '../ledger/port.js';

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
      await ledger.transition({
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
