/**
 * Calls to the GitHub REST API on one configured repository. Every request is bounded in time;
 * rate limits, 5xx answers and network failures are retried a few times in process with bounded
 * waits, then surface as `TransientScmError` so the state machine retries later; every other
 * failure becomes an `ScmError` naming the repository, what was attempted and which permission or
 * setting to check. Messages carry GitHub's answer, never a credential.
 */
import type { Octokit } from '@octokit/core';
import { ScmError, TransientScmError } from './errors.js';

/** Where a configured repository lives on GitHub. */
export interface GitHubRepositoryConfig {
  readonly owner: string;
  readonly repo: string;
  /** The branch snapshots are taken of. */
  readonly defaultBranch: string;
}

/** Bounds of the in-process retries; the defaults suit a Lambda task with a Step Functions retry behind it. */
export interface GitHubRetryOptions {
  /** Retries after the first attempt: 3 by default. */
  readonly retries?: number;
  /** Wait before the first retry after a 5xx or network failure, doubled each time: 1 s by default. */
  readonly baseDelayMs?: number;
  /** Longest single wait: 20 s by default. A longer `retry-after` or rate-limit reset is not waited for here. */
  readonly maxDelayMs?: number;
  /** A request unanswered after this long is abandoned and counts as a network failure: 30 s by default. */
  readonly timeoutMs?: number;
}

/** What a call attempts and the permission it needs, both worded for error messages. */
export interface Operation {
  /** Completes "trying to …", e.g. `create a commit`. */
  readonly action: string;
  /** A GitHub App repository permission, e.g. `Contents: write`. */
  readonly permission: string;
}

/** A failure with a status the caller said it handles itself (a ref that already exists, say). */
export class Refusal {
  constructor(
    readonly status: number,
    readonly message: string,
  ) {}
}

/** One entry of a git tree as the Git Data API lists it. */
export interface TreeEntry {
  readonly path: string;
  readonly mode: string;
  readonly type: string;
  readonly sha: string;
  readonly size?: number | undefined;
}

type Send<T> = (request: { signal: AbortSignal }) => Promise<{ data: T }>;

interface HttpFailure {
  readonly status: number;
  readonly message: string;
  readonly headers: Readonly<Record<string, string | number | undefined>>;
  readonly url: string;
  /** False when no answer came at all (network failure, timeout). */
  readonly answered: boolean;
}

const DEFAULT_RETRY: Required<GitHubRetryOptions> = { retries: 3, baseDelayMs: 1000, maxDelayMs: 20_000, timeoutMs: 30_000 };
// GitHub asks for at least a minute after a secondary rate limit that names no time.
const UNTIMED_RATE_LIMIT_MS = 60_000;

const CONTENTS_READ = 'Contents: read';

/** A configured GitHub repository and the calls cloudmend makes on it. */
export class GitHubRepo {
  readonly name: string;
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
  /** `owner/repo`, for messages. */
  readonly slug: string;
  readonly octokit: Octokit;
  private readonly retry: Required<GitHubRetryOptions>;

  private constructor(octokit: Octokit, name: string, config: GitHubRepositoryConfig, retry: GitHubRetryOptions) {
    this.octokit = octokit;
    this.name = name;
    this.owner = config.owner;
    this.repo = config.repo;
    this.defaultBranch = config.defaultBranch;
    this.slug = `${config.owner}/${config.repo}`;
    this.retry = { ...DEFAULT_RETRY, ...retry };
  }

  /** The repository configured as `name`; a user-facing error when it is not configured. */
  static open(
    octokit: Octokit,
    repositories: Readonly<Record<string, GitHubRepositoryConfig>>,
    name: string,
    retry: GitHubRetryOptions = {},
  ): GitHubRepo {
    const config = Object.hasOwn(repositories, name) ? repositories[name] : undefined;
    if (config === undefined) {
      const known = Object.keys(repositories).sort().join(', ') || '(none)';
      throw new ScmError(`repository "${name}" is not configured (configured: ${known})`, { userFacing: true });
    }
    return new GitHubRepo(octokit, name, config, retry);
  }

  /** `{ owner, repo }`, to spread into request parameters. */
  get ids(): { owner: string; repo: string } {
    return { owner: this.owner, repo: this.repo };
  }

  /** The response data of `send`, retried as the policy says; failures become `ScmError`s. */
  async call<T>(operation: Operation, send: Send<T>): Promise<T> {
    const result = await this.callExpecting(operation, [], send);
    // An empty list of handled statuses never yields a Refusal.
    return (result as { data: T }).data;
  }

  /** Like `call`, but an answer with one of `statuses` comes back as a `Refusal` instead of an error. */
  async callExpecting<T>(operation: Operation, statuses: readonly number[], send: Send<T>): Promise<{ data: T } | Refusal> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return { data: (await send({ signal: AbortSignal.timeout(this.retry.timeoutMs) })).data };
      } catch (error) {
        const failure = httpFailure(error);
        if (failure === undefined)
          throw new ScmError(`GitHub: trying to ${operation.action} on ${this.slug} failed: ${messageOf(error)}`, { cause: error });
        if (statuses.includes(failure.status)) return new Refusal(failure.status, failure.message);
        const wait = this.waitBeforeRetry(failure, attempt);
        if (wait === undefined) throw this.failure(operation, failure, error);
        if (attempt >= this.retry.retries || wait > this.retry.maxDelayMs) throw this.transient(operation, failure, wait, attempt, error);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /** The commit `refs/heads/<branch>` points at, or undefined when there is no such branch. */
  async branchHead(branch: string): Promise<string | undefined> {
    const ref = await this.callExpecting({ action: `read branch "${branch}"`, permission: CONTENTS_READ }, [404], (request) =>
      this.octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { ...this.ids, ref: `heads/${branch}`, request }),
    );
    return ref instanceof Refusal ? undefined : ref.data.object.sha;
  }

  /** Like `branchHead`, but a missing branch (or repository) is a user-facing error. */
  async requireBranch(branch: string): Promise<string> {
    const commit = await this.branchHead(branch);
    if (commit !== undefined) return commit;
    // GitHub answers 404 for a missing branch and for a repository it hides alike; this tells them apart.
    await this.call({ action: 'read the repository', permission: 'Metadata: read' }, (request) =>
      this.octokit.request('GET /repos/{owner}/{repo}', { ...this.ids, request }),
    );
    throw new ScmError(`repository "${this.name}" (${this.slug} on GitHub) has no branch "${branch}"`, { userFacing: true });
  }

  /** The tree, message and parents of `commit`. */
  async readCommit(commit: string): Promise<{ tree: string; message: string; parents: string[] }> {
    const data = await this.call({ action: `read commit ${commit}`, permission: CONTENTS_READ }, (request) =>
      this.octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', { ...this.ids, commit_sha: commit, request }),
    );
    return { tree: data.tree.sha, message: data.message, parents: data.parents.map((parent) => parent.sha) };
  }

  /** The tree of `commit`. */
  async treeOf(commit: string): Promise<string> {
    return (await this.readCommit(commit)).tree;
  }

  /** The entries of tree `sha`, all levels when `recursive` (then `truncated` says whether GitHub cut the list short). */
  async listTree(sha: string, recursive: boolean): Promise<{ entries: TreeEntry[]; truncated: boolean }> {
    const data = await this.call({ action: `read tree ${sha}`, permission: CONTENTS_READ }, (request) =>
      this.octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
        ...this.ids,
        tree_sha: sha,
        ...(recursive ? { recursive: '1' } : {}),
        request,
      }),
    );
    const entries = data.tree.flatMap((e) =>
      e.path === undefined || e.mode === undefined || e.type === undefined || e.sha === undefined
        ? []
        : [{ path: e.path, mode: e.mode, type: e.type, sha: e.sha, size: e.size }],
    );
    return { entries, truncated: data.truncated };
  }

  /** How long to wait before retrying `failure`, or undefined when retrying would not help. */
  private waitBeforeRetry(failure: HttpFailure, attempt: number): number | undefined {
    const { status, headers } = failure;
    // Rate limits come as 403 or 429; any other 4xx is an answer that retrying would repeat.
    if (status < 500 && status !== 403 && status !== 429) return undefined;
    const retryAfter = headers['retry-after'];
    if (retryAfter !== undefined && Number.isFinite(Number(retryAfter))) return Math.max(0, Number(retryAfter)) * 1000;
    if (String(headers['x-ratelimit-remaining']) === '0' && headers['x-ratelimit-reset'] !== undefined) {
      return Math.max(0, Number(headers['x-ratelimit-reset']) * 1000 - Date.now());
    }
    if (status === 429 || (status === 403 && /rate limit/i.test(failure.message))) return UNTIMED_RATE_LIMIT_MS;
    // Network failures and timeouts reach here as status 500 without an answer. Jitter keeps
    // concurrent tasks from retrying in lockstep.
    if (status >= 500) return this.retry.baseDelayMs * 2 ** attempt * (1 + Math.random() / 4);
    return undefined;
  }

  private transient(operation: Operation, failure: HttpFailure, wait: number, attempt: number, cause: unknown): TransientScmError {
    const what = !failure.answered
      ? `got no answer (${failure.message})`
      : failure.status < 500
        ? `is rate limited (${failure.status}: ${failure.message}; GitHub asks to wait ${Math.ceil(wait / 1000)} s)`
        : `failed with ${failure.status}: ${failure.message}`;
    const tries = attempt === 0 ? 'once' : `${attempt + 1} times`;
    return new TransientScmError(`GitHub: trying to ${operation.action} on ${this.slug} ${what}, tried ${tries}; retry later`, { cause });
  }

  /** The error for a failure retrying does not fix, worded by status. */
  private failure(operation: Operation, failure: HttpFailure, cause: unknown): ScmError {
    const { status, message } = failure;
    const attempt = `GitHub: trying to ${operation.action} on ${this.slug} failed (${status}: ${message})`;
    const options = { cause, userFacing: true };
    // The installation token is fetched inside the request that needed it; its failure is the App's setup.
    if (/\/app\/installations\/[^/]+\/access_tokens/.test(failure.url)) {
      return new ScmError(
        `${attempt}: GitHub refused the GitHub App's installation token; check the app id, the private key and that the installation id belongs to this app`,
        options,
      );
    }
    switch (status) {
      case 401:
        return new ScmError(
          `${attempt}: the credentials were rejected; check the token, or the GitHub App's id, private key and installation id`,
          options,
        );
      case 403:
        return new ScmError(
          `${attempt}: the GitHub App needs ${operation.permission} on ${this.slug} (a fine-grained token the same permission, a classic token the repo scope), and the repository must be selected in the installation`,
          options,
        );
      case 404:
        return new ScmError(
          `${attempt}: ${this.slug} does not exist or is not visible; check the owner and name, that the GitHub App is installed on it, and that it has ${operation.permission}`,
          options,
        );
      case 409:
        return new ScmError(`${attempt}: an empty repository has no branches yet; push a first commit to its default branch`, options);
      case 422:
        return new ScmError(
          `${attempt}: GitHub found the request invalid; when it names a rule or protection, check the rulesets and branch protection rules that match cloudmend's branches`,
          options,
        );
      default:
        return new ScmError(attempt, { cause });
    }
  }
}

/** The status, message and headers of an Octokit request error (or a timed-out request), else undefined. */
function httpFailure(error: unknown): HttpFailure | undefined {
  if (!(error instanceof Error) || !('status' in error) || typeof error.status !== 'number') return undefined;
  const response = 'response' in error ? (error.response as { headers?: HttpFailure['headers'] } | undefined) : undefined;
  const request = 'request' in error ? (error.request as { url?: unknown } | undefined) : undefined;
  return {
    status: error.status,
    message: error.message,
    headers: response?.headers ?? {},
    url: typeof request?.url === 'string' ? request.url : '',
    answered: response !== undefined,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
