/**
 * Pull requests, whatever hosts them: a local git repository (branch + a record in the ledger) or
 * GitHub. Opening is idempotent by branch name: the same change twice updates, never duplicates.
 */

export interface ChangedFile {
  /** Repository-relative path, forward slashes. */
  readonly path: string;
  /** The new content, UTF-8. */
  readonly content: string;
}

/**
 * Whom a branch belongs to: the finding (by its full fingerprint) or the batch (by its full id) whose
 * pull request it holds. Every commit cloudmend writes names its owner in a trailer, and a branch
 * whose last commit names another owner, or none, is never moved.
 */
export interface BranchOwner {
  readonly kind: 'finding' | 'batch';
  /** The full fingerprint or batch id: letters, digits, `.`, `_` and `-`, at most 128. */
  readonly id: string;
}

export interface PullRequestInput {
  /** Configured repository name. */
  readonly repository: string;
  /** Branch to create or update, e.g. `cloudmend/s3.8-1a2b3c4d5e6f7a8b`. */
  readonly branch: string;
  /** Who the branch belongs to; an existing branch of another owner is refused. */
  readonly owner: BranchOwner;
  /** The default branch the change is based on. */
  readonly base: string;
  readonly title: string;
  /** Markdown. */
  readonly body: string;
  /** The adapter appends the owner's trailer (`Cloudmend-Fingerprint: <id>`) as its last paragraph. */
  readonly commitMessage: string;
  readonly files: readonly ChangedFile[];
  readonly labels?: readonly string[] | undefined;
}

export interface PullRequestResult {
  /** Stable id: `local:<repository>:<branch>` or the GitHub PR number as `github:<owner/repo>#<n>`. */
  readonly id: string;
  readonly branch: string;
  /** The commit the branch points at. */
  readonly commit: string;
  readonly url?: string | undefined;
  /** False when the branch already held exactly this change. */
  readonly created: boolean;
  /** True when an existing branch was moved to a new commit. */
  readonly updated: boolean;
}

export interface PullRequests {
  open(input: PullRequestInput): Promise<PullRequestResult>;
}

/** A read-only snapshot of a repository's default branch, for locating and patching. */
export interface Snapshot {
  /** A directory holding the files of `commit` (never the user's working tree). */
  readonly root: string;
  readonly commit: string;
  readonly branch: string;
}

export interface Repositories {
  /** Files of the repository's default branch as of now; cached per commit, cleaned by `close`. */
  snapshot(repository: string): Promise<Snapshot>;
  close(): Promise<void>;
}
