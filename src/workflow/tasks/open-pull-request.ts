/** OpenPullRequest: branch, commit and pull request in the owning repository for the work item's patch; idempotent by branch. */
import { hash } from 'node:crypto';
import type { BranchOwner } from '../../scm/port.js';
import { recordItemChange } from '../changes.js';
import type { Task } from '../context.js';
import { PatchError } from '../errors.js';
import { activeTargets } from '../item.js';
import { pullRequestBody, pullRequestCommitMessage, pullRequestTitle } from '../pr-body.js';
import { repositoryOf } from '../repository.js';
import { branchName, resourceOf } from '../summary.js';
import type { IterationState, Patch, PullRequestOutput } from '../types.js';

export const openPullRequest: Task<IterationState, PullRequestOutput> = async (state, ctx) => {
  const fixed = await activeTargets(state, ctx.artifacts, 'OpenPullRequest');
  const [{ finding, decision, target }] = fixed;
  const key = state.patch?.artifact;
  if (key === undefined || decision.code !== 'remediate') throw new PatchError('OpenPullRequest needs a patch and a remediation decision');
  const repo = repositoryOf(ctx, fixed[0]);
  const stored = await ctx.artifacts.get<Patch>(key);
  if (stored.drift?.codify === false)
    throw new PatchError(
      `codify was chosen, but cloudmend cannot write these live values into the code (${stored.notes.join('; ')}); write them by hand, or decide again with revert or ignore`,
      { fingerprint: finding.fingerprint },
    );
  // A replacement the guardrail saw (CheckPolicy held it for an approver) is one, whatever the patch's author said.
  const replaced = state.policy?.violations?.some((v) => v.rule === 'replacement') === true;
  const patch: Patch = replaced && !stored.disruption ? { ...stored, disruption: { kind: 'replacement', rollback: '' } } : stored;
  const controls = [...new Set(fixed.map((f) => f.finding.controlId ?? f.finding.source))];
  const resources = new Set(fixed.map((f) => resourceOf(f.finding)));
  // Several findings share one branch, named by their batch, or by all of them.
  const shared =
    fixed.length > 1 ? (state.batchId ?? hash('sha256', fixed.map((f) => f.fingerprint).join(','), 'hex').slice(0, 32)) : undefined;
  const members =
    shared === undefined
      ? undefined
      : fixed.map((f) => ({
          fingerprint: f.fingerprint,
          resource: resourceOf(f.finding),
          address: `${f.target.file} ${f.target.address}`,
          control: controls.length > 1 ? (f.finding.controlId ?? f.finding.source) : undefined,
        }));
  // An open change of these resources is written again on its own branch (src/workflow/changes.ts).
  const change = state.claim?.change;
  const branch = change?.branch ?? branchName(finding, shared);
  const owner: BranchOwner =
    change?.owner ?? (shared === undefined ? { kind: 'finding', id: finding.fingerprint } : { kind: 'batch', id: shared });
  const remaining = patch.validation.remaining;
  const title = pullRequestTitle(finding, target, {
    resources: resources.size > 1 ? resources.size : undefined,
    controls,
    remaining,
    disruption: patch.disruption?.kind,
  });
  const body = pullRequestBody({ finding, target, patch, approvedBy: state.approval?.by, members, remaining });
  const changed = patch.files.filter((f) => f.before !== f.after);
  const result = await ctx.pullRequests.open({
    repository: repo.name,
    branch,
    owner,
    base: repo.defaultBranch,
    title,
    body,
    commitMessage: pullRequestCommitMessage(title, patch),
    files: changed.map((f) => ({ path: f.path, content: f.after })),
    labels: ['cloudmend', ...fixed.flatMap((f) => f.finding.controlId ?? []).filter((c, i, all) => all.indexOf(c) === i)],
  });
  const at = ctx.now();
  await ctx.ledger.putPullRequest({
    id: result.id,
    // The finding it was opened for stays its finding when an update writes it again.
    fingerprint: (await ctx.ledger.getPullRequest(result.id))?.fingerprint ?? finding.fingerprint,
    repository: repo.name,
    branch,
    base: repo.defaultBranch,
    title,
    body,
    commit: result.commit,
    url: result.url,
    at,
  });
  // A drift codify pull request is an approver's decision about live values, not a fix: it stays its own.
  if (state.kind === 'fix')
    await recordItemChange(ctx, { repository: repo.name, pullRequestId: result.id, branch, owner }, fixed, state.claim?.supersedes ?? []);
  for (const { fingerprint } of fixed) {
    // The other findings of an approved item waited on the first one's approval.
    if ((await ctx.ledger.get(fingerprint))?.state === 'awaiting_approval') {
      await ctx.ledger.transition({
        fingerprint,
        from: 'awaiting_approval',
        to: 'approved',
        actor: state.approval?.by ?? ctx.actor,
        at,
        reason: `approved with approval ${state.approval?.approvalId ?? ''} of its work item`,
      });
    }
    await ctx.ledger.transition({
      fingerprint,
      from: ['patched', 'approved'],
      to: 'pr_opened',
      actor: ctx.actor,
      at,
      data: { pullRequest: result.id, branch, commit: result.commit, url: result.url, origin: result.origin },
    });
  }
  const { created, updated, origin } = result;
  return { id: result.id, branch, commit: result.commit, url: result.url, created, updated, origin };
};
