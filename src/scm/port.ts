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

export interface PullRequestInput {
  /** Configured repository name. */
  readonly repository: string;
  /** Branch to create or update, e.g. `cloudmend/s3.8-1a2b3c4d`. */
  readonly branch: string;
  /** The default branch the change is based on. */
  readonly base: string;
  readonly title: string;
  /** Markdown. */
  readonly body: string;
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
