/** Locate: the file and resource in the owning repository's default branch that declare the finding's resource. */
import { locate } from '../../iac/locate.js';
import { skillsFor } from '../../skills/registry.js';
import type { Task, TaskContext } from '../context.js';
import { actingOn } from '../groups.js';
import { groupItems, storedTargets } from '../stored.js';
import { repositoryOf } from '../repository.js';
import type { IterationState, LocateOutput, MemberOutcome, MemberTarget } from '../types.js';

export const locateTask: Task<IterationState, LocateOutput> = async (state, ctx) => {
  if (state.group) return locateGroup(state, ctx);
  const { finding, decision } = state;
  const repo = repositoryOf(ctx, decision.code === 'remediate' ? decision.repository : undefined);
  const snapshot = await ctx.repositories.snapshot(repo.name);
  const result = await locate(finding, { name: repo.name, root: snapshot.root, iac: repo.iac, templates: repo.templates });
  const at = ctx.now();
  if (!result.found) {
    const reason = `no ${repo.iac} code in ${repo.name}@${snapshot.commit.slice(0, 12)} declares ${finding.resource.type} ${finding.resource.name ?? finding.resource.id}: ${result.tried.join('; ') || 'nothing to try'}`;
    await ctx.ledger.transition({ fingerprint: finding.fingerprint, from: 'claimed', to: 'no_target', actor: ctx.actor, at, reason });
    return { found: false, reason, commit: snapshot.commit, hasSkill: false, skills: [] };
  }
  const skills = finding.controlId === undefined ? [] : (await skillsFor(finding.controlId, result.target.kind)).map((s) => s.meta.id);
  await ctx.ledger.transition({
    fingerprint: finding.fingerprint,
    from: 'claimed',
    to: 'located',
    actor: ctx.actor,
    at,
    data: {
      repository: repo.name,
      commit: snapshot.commit,
      file: result.target.file,
      address: result.target.address,
      strategy: result.target.strategy,
    },
  });
  return { found: true, target: result.target, commit: snapshot.commit, hasSkill: skills.length > 0, skills };
};

/** Each claimed finding of a group located on its own; the first found leads. */
async function locateGroup(state: IterationState, ctx: TaskContext): Promise<LocateOutput> {
  const repo = repositoryOf(ctx, state.decision.code === 'remediate' ? state.decision.repository : undefined);
  const snapshot = await ctx.repositories.snapshot(repo.name);
  const claimed = new Set(actingOn(state));
  const members: MemberTarget[] = [];
  const settled: MemberOutcome[] = [];
  for (const { finding } of (await groupItems(state, ctx.artifacts)).filter((i) => claimed.has(i.finding.fingerprint))) {
    const result = await locate(finding, { name: repo.name, root: snapshot.root, iac: repo.iac, templates: repo.templates });
    if (result.found) {
      members.push({ fingerprint: finding.fingerprint, target: result.target });
      await ctx.ledger.transition({
        fingerprint: finding.fingerprint,
        from: 'claimed',
        to: 'located',
        actor: ctx.actor,
        at: ctx.now(),
        data: { repository: repo.name, commit: snapshot.commit, file: result.target.file, address: result.target.address },
      });
    } else {
      const reason = `no ${repo.iac} code in ${repo.name}@${snapshot.commit.slice(0, 12)} declares ${finding.resource.type} ${finding.resource.name ?? finding.resource.id}: ${result.tried.join('; ') || 'nothing to try'}`;
      settled.push({ fingerprint: finding.fingerprint, status: 'no_target', reason });
      await ctx.ledger.transition({
        fingerprint: finding.fingerprint,
        from: 'claimed',
        to: 'no_target',
        actor: ctx.actor,
        at: ctx.now(),
        reason,
      });
    }
  }
  const first = members[0];
  const skills =
    first && state.finding.controlId ? (await skillsFor(state.finding.controlId, first.target.kind)).map((s) => s.meta.id) : [];
  return first
    ? {
        found: true,
        target: first.target,
        commit: snapshot.commit,
        skills,
        hasSkill: skills.length > 0,
        members: await storedTargets(ctx.artifacts, members),
        settled,
      }
    : {
        found: false,
        reason: `none of the ${settled.length} findings of the batch is declared in ${repo.name}`,
        commit: snapshot.commit,
        skills: [],
        hasSkill: false,
        settled,
      };
}
