/**
 * The approval expiry sweep: approvals nobody decided by their deadline are expired, once, and
 * their executions resumed with `cloudmend.Expired` (the state machine records the finding as
 * expired). The Slack message, where one was posted, loses its buttons. One failure does not
 * stop the sweep: it is counted and retried on the next run.
 */
import type { ApprovalRecord, Ledger } from '../ledger/port.js';
import { decideApproval } from '../workflow/approvals.js';
import type { ApprovalOutcomeView } from './blocks.js';
import type { TaskCallbacks } from './interactions.js';
import type { MessageRef } from './slack-notifier.js';

export interface ExpiryDeps {
  readonly ledger: Ledger;
  readonly callbacks: TaskCallbacks;
  readonly now: () => Date;
  readonly actor: string;
  readonly updateMessage?: ((update: MessageRef & ApprovalOutcomeView) => Promise<void>) | undefined;
  readonly report?: ((message: string) => void) | undefined;
}

export interface ExpirySummary {
  readonly expired: number;
  /** Still waiting for a decision after the sweep. */
  readonly pending: number;
  readonly failed: number;
}

/** Where the request message was posted, from the audit trail (`approval.posted`). */
export async function approvalMessageOf(ledger: Ledger, approval: ApprovalRecord): Promise<MessageRef | undefined> {
  if (approval.channel !== undefined && approval.messageTs !== undefined) return { channel: approval.channel, ts: approval.messageTs };
  const posted = (await ledger.auditTrail(approval.fingerprint))
    .filter((e) => e.type === 'approval.posted' && e.data?.approvalId === approval.id)
    .at(-1);
  const channel = posted?.data?.channel;
  const ts = posted?.data?.messageTs;
  return typeof channel === 'string' && typeof ts === 'string' ? { channel, ts } : undefined;
}

export async function expireApprovals(deps: ExpiryDeps): Promise<ExpirySummary> {
  const now = deps.now();
  const pending = await deps.ledger.listApprovals({ status: 'pending' });
  let expired = 0;
  let failed = 0;
  for (const approval of pending.filter((a) => a.expiresAt.getTime() <= now.getTime())) {
    try {
      // Resume first: if that fails nothing has changed and the next sweep tries again. The
      // execution's Record step expires the approval too; the compare-and-set keeps it once.
      await deps.callbacks
        .fail(approval.taskToken, 'cloudmend.Expired', `nobody decided before ${approval.expiresAt.toISOString()}`)
        .catch((error: unknown) => {
          if ((error as Error).name !== 'TaskGoneError') throw error;
        });
      await decideApproval(deps.ledger, { id: approval.id, decision: 'expired', actor: deps.actor, at: now });
      expired += 1;
      const update = deps.updateMessage;
      const message = update && (await approvalMessageOf(deps.ledger, approval));
      if (update && message) {
        const finding = (await deps.ledger.get(approval.fingerprint))?.summary;
        await update({
          ...message,
          approvalId: approval.id,
          fingerprint: approval.fingerprint,
          finding,
          outcome: { status: 'expired', expiresAt: approval.expiresAt },
        }).catch((error: unknown) => deps.report?.(`message update for ${approval.id} failed: ${(error as Error).message}`));
      }
    } catch (error) {
      failed += 1;
      deps.report?.(`expiring approval ${approval.id} failed: ${(error as Error).name}: ${(error as Error).message}`);
    }
  }
  return { expired, pending: pending.length - expired - failed, failed };
}
