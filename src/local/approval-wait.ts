/**
 * The local stand-in for `.waitForTaskToken`: the execution waits on a promise that settles when a
 * decision lands in the ledger (from `cloudmend approve|reject`, the local Slack endpoint, or
 * `--approve auto|reject`), exactly as SendTaskSuccess / SendTaskFailure settle it in AWS.
 */
import type { Ledger } from '../ledger/port.js';
import { decideApproval } from '../workflow/approvals.js';
import { DeclinedByApproverError } from '../workflow/errors.js';
import type { ApprovalOutput } from '../workflow/types.js';

export type ApproveMode = 'auto' | 'reject' | 'wait';

/** An approval past its deadline: the expiry sweep sends it in AWS; the ASL catches it as expiry. */
export class ApprovalExpiredError extends Error {
  override name = 'cloudmend.Expired';
}

export interface WaitOptions {
  readonly mode: ApproveMode;
  readonly pollMs: number;
  readonly now: () => Date;
  /** The actor recorded for `--approve auto|reject`. */
  readonly actor: string;
  /** Stops the wait (its execution was stopped): the approval stays as it is, for the next run. */
  readonly signal?: AbortSignal | undefined;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const stop = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });

export async function waitForDecision(ledger: Ledger, approvalId: string, options: WaitOptions): Promise<ApprovalOutput> {
  if (options.mode !== 'wait') {
    await decideApproval(ledger, {
      id: approvalId,
      decision: options.mode === 'auto' ? 'approved' : 'rejected',
      actor: options.actor,
      at: options.now(),
      reason: `--approve ${options.mode}`,
    });
  }
  for (;;) {
    const approval = await ledger.getApproval(approvalId);
    if (!approval) throw new Error(`approval ${approvalId} disappeared from the ledger`);
    if (approval.status === 'approved') return { approvalId, approved: true, by: approval.decidedBy, choice: approval.choice };
    if (approval.status === 'rejected')
      throw new DeclinedByApproverError(`${approval.choice ?? 'rejected'} by ${approval.decidedBy ?? 'an approver'}`, approval.choice);
    if (approval.status === 'expired')
      throw new ApprovalExpiredError(`approval ${approvalId} expired at ${approval.expiresAt.toISOString()}`);
    // The deadline passed with no decision: expire it, as the expiry sweep does in AWS.
    if (options.now().getTime() >= approval.expiresAt.getTime()) {
      await decideApproval(ledger, { id: approvalId, decision: 'expired', actor: options.actor, at: options.now() });
      continue;
    }
    await sleep(options.pollMs, options.signal);
  }
}
