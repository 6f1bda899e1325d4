/** Whether the smoke finding went the whole way: the same reading for the local runtime and a deployed stack. */
import type { FindingOutcome } from '../workflow/types.js';

export interface SmokeVerdict {
  /** It reached `pr_opened`, or the approval request the policy asked for (which the smoke test rejected itself). */
  readonly passed: boolean;
  /** The state it stopped in: a ledger status, or `failed` when the execution itself failed. */
  readonly state: string;
  readonly reason: string;
}

/** The verdict on the smoke finding's outcome, or on the execution's error when there is no outcome. */
export function smokeVerdict(
  outcome: (Pick<FindingOutcome, 'reason' | 'approval'> & { readonly status: string }) | undefined,
  error?: { readonly Error: string; readonly Cause: string },
): SmokeVerdict {
  if (outcome === undefined)
    return {
      passed: false,
      state: 'failed',
      reason: error ? `${error.Error}: ${error.Cause}` : 'the workflow recorded no outcome for the finding',
    };
  const { status, reason, approval } = outcome;
  if (status === 'pr_opened') return { passed: true, state: status, reason };
  if (status === 'rejected' && approval?.decision === 'rejected')
    return {
      passed: true,
      state: 'approval_requested',
      reason: `approval ${approval.id ? `${approval.id} ` : ''}requested, then rejected by the smoke test`,
    };
  return { passed: false, state: status, reason };
}

/** What a smoke test reports, locally or through a deployed stack. */
export interface SmokeReport extends SmokeVerdict {
  readonly smoke: true;
  readonly runId: string;
  readonly repository: string;
  /** The scratch branch (the pull request's base) and the pull request's branch, when one was opened. */
  readonly branches: { readonly scratch: string; readonly pullRequest: string | null };
  readonly fingerprint: string | null;
  readonly kept: boolean;
  /** Through a deployed stack: the execution followed (null when the event was never put) and the pull request's page. */
  readonly execution?: { readonly arn: string; readonly consoleUrl: string; readonly states: readonly string[] } | null;
  readonly pullRequestUrl?: string | null;
}
