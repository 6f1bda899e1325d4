/** Locate: the file and resource in the owning repository's default branch that declare the finding's resource. */
import { locate } from '../../iac/locate.js';
import { skillsFor } from '../../skills/registry.js';
import type { Task } from '../context.js';
import { resourceOf } from '../summary.js';
import { activeFindings, repositoryNamed, settle } from '../item.js';
import { repositoryOf } from '../repository.js';
import { carry } from '../stored.js';
import type { IterationState, LocatedFinding, LocateOutput, Settled } from '../types.js';

/** Each finding still in the item located on its own; those whose code is not found leave it as `no_target`. */
export const locateTask: Task<IterationState, LocateOutput> = async (state, ctx) => {
  const findings = await activeFindings(state, ctx.artifacts, 'Locate');
  const repo = repositoryOf(ctx, repositoryNamed(findings[0]!));
  const snapshot = await ctx.repositories.snapshot(repo.name);
  const located: LocatedFinding[] = [];
  const settled: Settled[] = [];
  for (const { finding } of findings) {
    const fingerprint = finding.fingerprint;
    const result = await locate(finding, { name: repo.name, root: snapshot.root, iac: repo.iac, templates: repo.templates });
    if (!result.found) {
      const reason = `no ${repo.iac} code in ${repo.name}@${snapshot.commit.slice(0, 12)} declares ${resourceOf(finding)}: ${result.tried.join('; ') || 'nothing to try'}`;
      settled.push(await settle(ctx, fingerprint, 'claimed', 'no_target', reason));
      continue;
    }
    const { target } = result;
    const skills = finding.controlId === undefined ? [] : (await skillsFor(finding.controlId, target.kind)).map((s) => s.meta.id);
    await ctx.ledger.transition({
      fingerprint,
      from: 'claimed',
      to: 'located',
      actor: ctx.actor,
      at: ctx.now(),
      data: { repository: repo.name, commit: snapshot.commit, file: target.file, address: target.address, strategy: target.strategy },
    });
    located.push({ fingerprint, target, skills });
  }
  const first = located[0];
  const reason =
    settled.length === 1 ? settled[0]!.reason : `none of the ${settled.length} findings of the item is declared in ${repo.name}`;
  return {
    found: first !== undefined,
    target: first?.target,
    commit: snapshot.commit,
    hasSkill: located.some((l) => l.skills.length > 0),
    ...(first ? {} : { reason }),
    located: await carry(ctx.artifacts, 'targets', located),
    settled,
  };
};
