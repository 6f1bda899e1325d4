/** OpenPullRequest: branch, commit and pull request in the owning repository; idempotent by branch. */
import type { Task } from '../context.js';
import { PatchError } from '../errors.js';
import { pullRequestBody, pullRequestTitle } from '../pr-body.js';
import { repositoryOf } from '../repository.js';
import { branchName } from '../summary.js';
import type { IterationState, Patch, PullRequestOutput } from '../types.js';

export const openPullRequest: Task<IterationState, PullRequestOutput> = async (state, ctx) => {
  const { finding, decision } = state;
  const key = state.patch?.artifact;
  const target = state.target?.target;
  if (key === undefined || !target || decision.code !== 'remediate') throw new PatchError('OpenPullRequest needs a patch, its target and a remediation decision');
  const repo = repositoryOf(ctx, decision.repository);
  const patch = await ctx.artifacts.get<Patch>(key);
  const branch = branchName(finding);
  const title = pullRequestTitle(finding, target);
  const body = pullRequestBody({ finding, target, patch, approvedBy: state.approval?.by });
  const changed = patch.files.filter((f) => f.before !== f.after);
  const result = await ctx.pullRequests.open({
    repository: repo.name,
    branch,
    base: repo.defaultBranch,
    title,
    body,
    commitMessage: `${title}\n\n${patch.notes.join('\n')}\n\ncloudmend-finding: ${finding.fingerprint}`,
    files: changed.map((f) => ({ path: f.path, content: f.after })),
    labels: ['cloudmend', ...(finding.controlId ? [finding.controlId] : [])],
  });
  const at = ctx.now();
  await ctx.ledger.putPullRequest({ id: result.id, fingerprint: finding.fingerprint, repository: repo.name, branch, base: repo.defaultBranch, title, body, commit: result.commit, url: result.url, at });
  await ctx.ledger.transition({ fingerprint: finding.fingerprint, from: ['patched', 'approved'], to: 'pr_opened', actor: ctx.actor, at, data: { pullRequest: result.id, branch, commit: result.commit, url: result.url } });
  return { id: result.id, branch, commit: result.commit, url: result.url, created: result.created };
};
