/**
 * The local stand-in for `.waitForTaskToken`: the execution waits on a promise that settles when a
 * decision lands in the ledger (from `cloudmend approve|reject`, the local Slack endpoint, or
 * `--approve auto|reject`, as src/approvals/choices.ts allows), exactly as SendTaskSuccess / SendTaskFailure settle it in AWS.
 */
import { ACTIONS, acceptedActions, type ApprovalAction } from '../approvals/choices.js';
import type { Artifacts } from '../artifacts/port.js';
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

/**
 * What `--approve auto|reject` chooses, the first the approval accepts: auto approves, or codifies a
 * drift when cloudmend can write it, else reverts; reject declines. A declined drift is reverted:
 * revert records the steps to re-deploy the code and acts on nothing, where ignore would silence
 * the resource's drift for days without anyone having chosen that.
 */
const UNATTENDED = { auto: ['approve', 'codify', 'revert'], reject: ['reject', 'revert'] } as const satisfies Record<
  Exclude<ApproveMode, 'wait'>,
  readonly ApprovalAction[]
>;

export async function waitForDecision(
  { ledger, artifacts }: { readonly ledger: Ledger; readonly artifacts: Artifacts },
  approvalId: string,
  options: WaitOptions,
): Promise<ApprovalOutput> {
  const asked = options.mode === 'wait' ? undefined : await ledger.getApproval(approvalId);
  if (asked && options.mode !== 'wait') {
    const accepted = (await acceptedActions(ledger, artifacts, asked.fingerprint)).actions;
    const action = UNATTENDED[options.mode].find((a) => accepted.includes(a)) ?? 'reject';
    const { decision, choice } = { choice: undefined, ...ACTIONS[action] };
    await decideApproval(ledger, {
      id: approvalId,
      decision,
      choice,
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
