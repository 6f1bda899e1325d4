/** Locate: the file and resource in the owning repository's default branch that declare the finding's resource. */
import { locate } from '../../iac/locate.js';
import { skillsFor } from '../../skills/registry.js';
import type { Task } from '../context.js';
import { repositoryOf } from '../repository.js';
import type { FindingItem, LocateOutput } from '../types.js';

export const locateTask: Task<FindingItem, LocateOutput> = async ({ finding, decision }, ctx) => {
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
    data: { repository: repo.name, commit: snapshot.commit, file: result.target.file, address: result.target.address, strategy: result.target.strategy },
  });
  return { found: true, target: result.target, commit: snapshot.commit, hasSkill: skills.length > 0, skills };
};
