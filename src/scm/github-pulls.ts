/**
 * Where a GitHub pull request stands, and how it ends. Its state is the newest pull request of the
 * branch (merged, closed, open). Whether its base moved is read from the branch's own commits
 * (those with cloudmend's trailer, and the commits they were written on), never by walking the
 * default branch; past a person's commit on the branch it is not known (such a branch is not
 * cloudmend's to move). Retiring comments, closes the pull request and deletes the branch; GitHub
 * deletes a ref without a compare-and-swap, so the owner check just before it is what guards a
 * branch someone took over.
 */
import { checkBranchOwner, ownerOf } from './branch-owner.js';
import type { GitHubRepo } from './github-api.js';
import type { PullRequestState, PullRequestStatus, RetireInput, RetireResult, StatusInput } from './port.js';

export const CONTENTS_WRITE = 'Contents: write';
export const PULLS_WRITE = 'Pull requests: write';
// Commits of a branch read to find what it is based on: cloudmend writes a handful per branch.
const MAX_BRANCH_COMMITS = 50;

export type Commit = Awaited<ReturnType<GitHubRepo['readCommit']>>;

export interface PullRequest {
  readonly number: number;
  readonly html_url: string;
  readonly title: string;
  readonly body: string | null;
  readonly state: string;
  readonly merged_at: string | null;
  readonly labels: readonly { readonly name?: string | undefined }[];
}

/** See `PullRequests.status`: the newest pull request of the branch, and whether its base moved. */
export async function pullRequestStatus(repo: GitHubRepo, input: StatusInput): Promise<PullRequestStatus> {
  const pull = await findPull(repo, input.branch, 'all');
  const head = await repo.branchHead(input.branch);
  const tip = head === undefined ? undefined : await repo.readCommit(head);
  const owner = tip === undefined ? undefined : ownerOf(tip.message);
  const state = stateOf(pull, head);
  if (state !== 'open' || head === undefined || tip === undefined) return { state, head, owner, baseMoved: false };
  return { state, head, owner, baseMoved: !(await basedOn(repo, head, await repo.requireBranch(input.base), new Map([[head, tip]]))) };
}

function stateOf(pull: PullRequest | undefined, head: string | undefined): PullRequestState {
  if (pull === undefined) return head === undefined ? 'missing' : 'open'; // a branch whose pull request is not opened yet
  if (pull.merged_at !== null) return 'merged';
  return pull.state === 'closed' ? 'closed' : 'open';
}

/** See `PullRequests.retire`: comment, close, delete the branch, only for its owner. */
export async function retireBranch(repo: GitHubRepo, input: RetireInput): Promise<RetireResult> {
  const head = await repo.branchHead(input.branch);
  if (head === undefined) return { retired: false };
  checkBranchOwner({ repository: repo.name, branch: input.branch, commit: head }, (await repo.readCommit(head)).message, input.owner);
  const pull = await findPull(repo, input.branch, 'open');
  if (pull !== undefined) await closePullRequest(repo, pull.number, input.reason);
  // Already gone (422) is what was wanted.
  await repo.callExpecting({ action: `delete branch "${input.branch}"`, permission: CONTENTS_WRITE }, [422], (request) =>
    repo.octokit.request('DELETE /repos/{owner}/{repo}/git/refs/{ref}', { ...repo.ids, ref: `heads/${input.branch}`, request }),
  );
  return { retired: true, pullRequestId: pull === undefined ? undefined : `github:${repo.slug}#${pull.number}` };
}

async function closePullRequest(repo: GitHubRepo, number: number, reason: string): Promise<void> {
  await repo.call({ action: `comment on pull request #${number}`, permission: `${PULLS_WRITE} (or Issues: write)` }, (request) =>
    repo.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      ...repo.ids,
      issue_number: number,
      body: reason,
      request,
    }),
  );
  await repo.call({ action: `close pull request #${number}`, permission: PULLS_WRITE }, (request) =>
    repo.octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { ...repo.ids, pull_number: number, state: 'closed', request }),
  );
}

/**
 * Whether `base` is reachable from `head` through the branch's own commits: those whose message
 * names an owner are followed to their parents; any other commit (the default branch's, or a
 * person's on the branch) ends the walk there. `read` holds commits already read.
 */
export async function basedOn(repo: GitHubRepo, head: string, base: string, read: Map<string, Commit>): Promise<boolean> {
  const seen = new Set<string>();
  let frontier = [head];
  while (frontier.length > 0 && seen.size < MAX_BRANCH_COMMITS) {
    const next: string[] = [];
    for (const sha of frontier) {
      if (sha === base) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      const commit = read.get(sha) ?? (await repo.readCommit(sha));
      if (ownerOf(commit.message) !== undefined) next.push(...commit.parents);
    }
    frontier = next;
  }
  return false;
}

/** The newest pull request of `branch` in `state` (GitHub lists the newest first). */
export async function findPull(repo: GitHubRepo, branch: string, state: 'open' | 'all'): Promise<PullRequest | undefined> {
  const pulls = await repo.call({ action: `look for the pull request of "${branch}"`, permission: 'Pull requests: read' }, (request) =>
    repo.octokit.request('GET /repos/{owner}/{repo}/pulls', {
      ...repo.ids,
      head: `${repo.owner}:${branch}`,
      state,
      per_page: 1,
      request,
    }),
  );
  return pulls[0];
}
