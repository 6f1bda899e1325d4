/** The finding-updates port: what a finding's source is told back (Security Hub in AWS; the ledger locally). */
import type { Finding } from './finding.js';

/** A pull request as the finding's source is told about it. */
export interface OpenedPullRequest {
  readonly id: string;
  readonly branch: string;
  readonly url?: string | undefined;
}

/**
 * Tells a finding's source what cloudmend did (Security Hub: a note with the pull request and
 * workflow NOTIFIED). Locally nothing is called: the adapter records what it would have written.
 */
export interface FindingUpdates {
  pullRequestOpened(finding: Finding, pullRequest: OpenedPullRequest): Promise<void>;
}
