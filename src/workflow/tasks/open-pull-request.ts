/** OpenPullRequest: branch, commit and pull request in the owning repository; idempotent by branch. */
import type { Task } from '../context.js';
import type { Artifacts } from '../../artifacts/port.js';
import { actingOn } from '../groups.js';
import { groupItems, memberTargets } from '../stored.js';
import { PatchError } from '../errors.js';
import { pullRequestBody, pullRequestCommitMessage, pullRequestTitle } from '../pr-body.js';
import { repositoryOf } from '../repository.js';
import { branchName } from '../summary.js';
import type { IterationState, Patch, PullRequestOutput } from '../types.js';

/** The resources a group's pull request fixes, in member order. */
async function membersFixed(
  state: IterationState,
  fixed: readonly string[],
  artifacts: Artifacts,
): Promise<{ readonly fingerprint: string; readonly resource: string; readonly address: string }[]> {
  const targets = new Map((await memberTargets(state, artifacts)).map((m) => [m.fingerprint, m.target]));
  return (await groupItems(state, artifacts))
    .filter((i) => fixed.includes(i.finding.fingerprint))
    .map((i) => ({
      fingerprint: i.finding.fingerprint,
      resource: `${i.finding.resource.type} ${i.finding.resource.name ?? i.finding.resource.id}`,
      address: `${targets.get(i.finding.fingerprint)?.file ?? '?'} ${targets.get(i.finding.fingerprint)?.address ?? ''}`,
    }));
}

export const openPullRequest: Task<IterationState, PullRequestOutput> = async (state, ctx) => {
  const { finding, decision } = state;
  const key = state.patch?.artifact;
  const target = state.target?.target;
  if (key === undefined || !target || decision.code !== 'remediate')
    throw new PatchError('OpenPullRequest needs a patch, its target and a remediation decision');
  const repo = repositoryOf(ctx, decision.repository);
  const patch = await ctx.artifacts.get<Patch>(key);
  const fixed = actingOn(state);
  const group =
    state.group && fixed.length > 1
      ? { batchId: state.group.batchId, members: await membersFixed(state, fixed, ctx.artifacts) }
      : undefined;
  const branch = branchName(finding, group?.batchId);
  const title = pullRequestTitle(finding, target, group?.members.length);
  const body = pullRequestBody({ finding, target, patch, approvedBy: state.approval?.by, members: group?.members });
  const changed = patch.files.filter((f) => f.before !== f.after);
  const result = await ctx.pullRequests.open({
    repository: repo.name,
    branch,
    owner: group ? { kind: 'batch', id: group.batchId } : { kind: 'finding', id: finding.fingerprint },
    base: repo.defaultBranch,
    title,
    body,
    commitMessage: pullRequestCommitMessage(title, patch),
    files: changed.map((f) => ({ path: f.path, content: f.after })),
    labels: ['cloudmend', ...(finding.controlId ? [finding.controlId] : [])],
  });
  const at = ctx.now();
  await ctx.ledger.putPullRequest({
    id: result.id,
    fingerprint: fixed[0] ?? finding.fingerprint,
    repository: repo.name,
    branch,
    base: repo.defaultBranch,
    title,
    body,
    commit: result.commit,
    url: result.url,
    at,
  });
  for (const fingerprint of fixed) {
    // The other members of an approved group waited on the first one's approval.
    if ((await ctx.ledger.get(fingerprint))?.state === 'awaiting_approval') {
      await ctx.ledger.transition({
        fingerprint,
        from: 'awaiting_approval',
        to: 'approved',
        actor: state.approval?.by ?? ctx.actor,
        at,
        reason: `approved with approval ${state.approval?.approvalId ?? ''} of its batch`,
      });
    }
    await ctx.ledger.transition({
      fingerprint,
      from: ['patched', 'approved'],
      to: 'pr_opened',
      actor: ctx.actor,
      at,
      data: { pullRequest: result.id, branch, commit: result.commit, url: result.url },
    });
  }
  return { id: result.id, branch, commit: result.commit, url: result.url, created: result.created };
};
