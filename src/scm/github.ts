/**
 * Pull requests on GitHub, written through the Git Data API: blobs, a tree on top of the base
 * tree and a commit are created server-side, so nothing is cloned. The branch is only ever moved
 * forward (no force), an identical change leaves it alone, and the open pull request of the branch
 * is updated rather than duplicated. Status and retirement: github-pulls.ts.
 */
import type { Octokit } from '@octokit/core';
import { checkBranchOwner, withOwnerTrailer } from './branch-owner.js';
import { ScmError, TransientScmError } from './errors.js';
import { mapLimit } from '../map-limit.js';
import { GitHubRepo, Refusal, type GitHubRepositoryConfig, type GitHubRetryOptions, type TreeEntry } from './github-api.js';
import { CONTENTS_WRITE, PULLS_WRITE, basedOn, findPull, pullRequestStatus, retireBranch, type PullRequest } from './github-pulls.js';
import { checkChangedFiles, refusedBranchReason } from './paths.js';
import type { BranchInput, Branches, ChangedFile, PullRequestInput, PullRequestResult, PullRequests, WrittenBranch } from './port.js';

export { githubRepositories, type GitHubRepositoriesOptions } from './github-snapshot.js';
export type { GitHubRepositoryConfig, GitHubRetryOptions } from './github-api.js';

/** Options of {@link githubPullRequests}. */
export interface GitHubPullRequestsOptions {
  /** Authenticated client, e.g. from `githubOctokit`. */
  readonly octokit: Octokit;
  /** Repositories by configured name; `defaultBranch` is not used here (`PullRequestInput.base` is). */
  readonly repositories: Readonly<Record<string, GitHubRepositoryConfig>>;
  /** Author of cloudmend's commits; `cloudmend <cloudmend@localhost>` by default, as for local repositories. */
  readonly author?: { readonly name: string; readonly email: string };
  readonly retry?: GitHubRetryOptions;
}

type FileMode = '100644' | '100755';

const DEFAULT_AUTHOR = { name: 'cloudmend', email: 'cloudmend@localhost' };
const DIRECTORY_MODE = '040000';
// Blob uploads at once: enough to hide latency, few enough to stay clear of secondary rate limits.
const CONCURRENCY = 8;

/** A `PullRequests` whose pull requests are GitHub pull requests from branches of the same repository. */
export function githubPullRequests(options: GitHubPullRequestsOptions): PullRequests {
  const author = options.author ?? DEFAULT_AUTHOR;
  return {
    async open(input: PullRequestInput): Promise<PullRequestResult> {
      const repo = GitHubRepo.open(options.octokit, options.repositories, input.repository, options.retry);
      checkInput(repo, input);
      const message = withOwnerTrailer(input.commitMessage, input.owner);
      const moved = await writeBranch(repo, { ...input, commitMessage: message }, author);
      const pull = await upsertPullRequest(repo, input);
      return { id: `github:${repo.slug}#${pull.number}`, branch: input.branch, url: pull.html_url, ...moved };
    },
    status: (input) => pullRequestStatus(GitHubRepo.open(options.octokit, options.repositories, input.repository, options.retry), input),
    retire: (input) => retireBranch(GitHubRepo.open(options.octokit, options.repositories, input.repository, options.retry), input),
  };
}

/** {@link Branches} on GitHub: the branch is written as `open` writes it, and no pull request is opened. */
export function githubBranches(options: GitHubPullRequestsOptions): Branches {
  const author = options.author ?? DEFAULT_AUTHOR;
  return {
    async write(input) {
      const repo = GitHubRepo.open(options.octokit, options.repositories, input.repository, options.retry);
      checkInput(repo, input);
      return writeBranch(repo, { ...input, commitMessage: withOwnerTrailer(input.commitMessage, input.owner) }, author);
    },
  };
}

function checkInput(repo: GitHubRepo, input: BranchInput): void {
  const { branch, base } = input;
  checkChangedFiles(repo.name, input.files);
  const reason = refusedBranchReason(branch);
  if (reason !== undefined)
    throw new ScmError(`refusing branch name ${JSON.stringify(branch)} for repository "${repo.name}": it ${reason}`, { userFacing: true });
  if (branch === base)
    throw new ScmError(`refusing to open a pull request from "${branch}" onto itself in repository "${repo.name}"`, { userFacing: true });
}

/**
 * Builds the new tree on GitHub and points the branch at a commit holding it; the message already
 * ends with the owner's trailer.
 */
async function writeBranch(repo: GitHubRepo, input: BranchInput, author: { name: string; email: string }): Promise<WrittenBranch> {
  const baseCommit = await repo.requireBranch(input.base);
  const baseTree = await repo.treeOf(baseCommit);
  const modes = await existingModes(repo, baseTree, input.files);
  const entries = await mapLimit(input.files, CONCURRENCY, async (file) => {
    const blob = await repo.call({ action: `upload ${file.path}`, permission: CONTENTS_WRITE }, (request) =>
      repo.octokit.request('POST /repos/{owner}/{repo}/git/blobs', {
        ...repo.ids,
        content: Buffer.from(file.content, 'utf8').toString('base64'),
        encoding: 'base64',
        request,
      }),
    );
    return { path: file.path, mode: modes.get(file.path) ?? '100644', type: 'blob' as const, sha: blob.sha };
  });
  const tree = await repo.call({ action: 'create a tree', permission: CONTENTS_WRITE }, (request) =>
    repo.octokit.request('POST /repos/{owner}/{repo}/git/trees', { ...repo.ids, base_tree: baseTree, tree: entries, request }),
  );
  if (tree.sha === baseTree) {
    throw new ScmError(`nothing to change: the files already have this content on "${input.base}" of repository "${repo.name}"`, {
      userFacing: true,
    });
  }
  return moveBranch(repo, input, { baseCommit, tree: tree.sha, author });
}

/**
 * Modes of the files that already exist in the base tree, found by walking only the directories on
 * their paths. A symlink, submodule or directory at a path, or a non-directory on the way to it,
 * is refused as the local adapter refuses it.
 */
async function existingModes(repo: GitHubRepo, baseTree: string, files: readonly ChangedFile[]): Promise<Map<string, FileMode>> {
  const listings = new Map<string, Promise<Map<string, TreeEntry>>>();
  const list = (sha: string): Promise<Map<string, TreeEntry>> => {
    let listing = listings.get(sha);
    if (listing === undefined) {
      listing = repo.listTree(sha, false).then(({ entries }) => new Map(entries.map((entry) => [entry.path, entry])));
      listings.set(sha, listing);
    }
    return listing;
  };
  const refuse = (path: string, why: string): ScmError =>
    new ScmError(`refusing to write ${JSON.stringify(path)} in repository "${repo.name}": ${why} on the base branch`, { userFacing: true });
  const modes = new Map<string, FileMode>();
  for (const { path } of files) {
    const parts = path.split('/');
    let entry: TreeEntry | undefined;
    for (const [depth, part] of parts.entries()) {
      if (entry !== undefined && entry.mode !== DIRECTORY_MODE)
        throw refuse(path, `${parts.slice(0, depth).join('/')} is a ${kindOf(entry.mode)}`);
      entry = (await list(entry?.sha ?? baseTree)).get(part);
      if (entry === undefined) break;
    }
    if (entry === undefined) continue;
    if (!isFileMode(entry.mode)) throw refuse(path, `it is a ${kindOf(entry.mode)}`);
    modes.set(path, entry.mode);
  }
  return modes;
}

function isFileMode(mode: string): mode is FileMode {
  return mode === '100644' || mode === '100755';
}

function kindOf(mode: string): string {
  return mode === '120000' ? 'symlink' : mode === '160000' ? 'submodule' : mode === DIRECTORY_MODE ? 'directory' : 'file';
}

/**
 * Points `refs/heads/<branch>` at a commit holding `tree`: created from the base, or on top of the
 * current head when that holds another tree and belongs to the same owner; when the base moved since
 * the branch was written, the base is the commit's second parent (based on it again, still a
 * fast-forward). Updates are never forced,
 * so a concurrent writer makes GitHub refuse ours; then it looks again once (the winner may already
 * hold the same tree, or be another owner).
 */
async function moveBranch(
  repo: GitHubRepo,
  input: BranchInput,
  { baseCommit, tree, author }: { baseCommit: string; tree: string; author: { name: string; email: string } },
): Promise<WrittenBranch> {
  let lost: Refusal | undefined;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const head = await repo.branchHead(input.branch);
    let parents = [baseCommit];
    if (head !== undefined) {
      const tip = await repo.readCommit(head);
      checkBranchOwner({ repository: repo.name, branch: input.branch, commit: head }, tip.message, input.owner);
      if (tip.tree === tree) return { commit: head, created: false, updated: false };
      parents = (await basedOn(repo, head, baseCommit, new Map([[head, tip]]))) ? [head] : [head, baseCommit];
    }
    const commit = await repo.call({ action: 'create a commit', permission: CONTENTS_WRITE }, (request) =>
      repo.octokit.request('POST /repos/{owner}/{repo}/git/commits', {
        ...repo.ids,
        message: input.commitMessage,
        tree,
        parents,
        author,
        request,
      }),
    );
    const moved =
      head === undefined
        ? await repo.callExpecting({ action: `create branch "${input.branch}"`, permission: CONTENTS_WRITE }, [422], (request) =>
            repo.octokit.request('POST /repos/{owner}/{repo}/git/refs', {
              ...repo.ids,
              ref: `refs/heads/${input.branch}`,
              sha: commit.sha,
              request,
            }),
          )
        : await repo.callExpecting({ action: `update branch "${input.branch}"`, permission: CONTENTS_WRITE }, [422], (request) =>
            repo.octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
              ...repo.ids,
              ref: `heads/${input.branch}`,
              sha: commit.sha,
              force: false,
              request,
            }),
          );
    if (!(moved instanceof Refusal)) return { commit: commit.sha, created: head === undefined, updated: head !== undefined };
    // Only a lost race is worth another look; any other 422 (a ruleset, a bad name) is final.
    if (!/already exists|not a fast.forward/i.test(moved.message)) {
      throw new ScmError(
        `GitHub refused to move branch "${input.branch}" of ${repo.slug} (422: ${moved.message}); check the branch protection rules and rulesets that match it`,
        { userFacing: true },
      );
    }
    lost = moved;
  }
  throw new TransientScmError(
    `branch "${input.branch}" of ${repo.slug} was moved by someone else twice while cloudmend was updating it (${lost?.message ?? ''}); retry`,
  );
}

/** The open pull request of the branch, its title and body brought up to date, or a new one; then its labels. */
async function upsertPullRequest(repo: GitHubRepo, input: PullRequestInput): Promise<PullRequest> {
  let pull = await findPull(repo, input.branch, 'open');
  if (pull === undefined) {
    pull = await createPullRequest(repo, input);
  } else if (pull.title !== input.title || (pull.body ?? '') !== input.body) {
    const number = pull.number;
    pull = await repo.call({ action: `update pull request #${number}`, permission: PULLS_WRITE }, (request) =>
      repo.octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
        ...repo.ids,
        pull_number: number,
        title: input.title,
        body: input.body,
        request,
      }),
    );
  }
  const have = new Set(pull.labels.map((label) => label.name));
  const missing = (input.labels ?? []).filter((label) => !have.has(label));
  if (missing.length > 0) {
    const number = pull.number;
    // GitHub creates the labels the repository does not have yet.
    await repo.call({ action: `label pull request #${number}`, permission: `${PULLS_WRITE} (or Issues: write)` }, (request) =>
      repo.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
        ...repo.ids,
        issue_number: number,
        labels: missing,
        request,
      }),
    );
  }
  return pull;
}

async function createPullRequest(repo: GitHubRepo, input: PullRequestInput): Promise<PullRequest> {
  const created = await repo.callExpecting(
    { action: `open a pull request from "${input.branch}"`, permission: PULLS_WRITE },
    [422],
    (request) =>
      repo.octokit.request('POST /repos/{owner}/{repo}/pulls', {
        ...repo.ids,
        head: input.branch,
        base: input.base,
        title: input.title,
        body: input.body,
        request,
      }),
  );
  if (!(created instanceof Refusal)) return created.data;
  // A concurrent (or retried) open got there first: its pull request is the one.
  const existing = /already exists/i.test(created.message) ? await findPull(repo, input.branch, 'open') : undefined;
  if (existing === undefined)
    throw new ScmError(
      `GitHub refused to open a pull request from "${input.branch}" into "${input.base}" of ${repo.slug} (422: ${created.message})`,
      { userFacing: true },
    );
  return existing;
}
