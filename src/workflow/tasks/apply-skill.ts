/**
 * ApplySkill: the deterministic fix. Runs the covering skills on the located resource, verifies
 * the result independently (parse, detect clean, idempotent) and leaves the patch in the artifact
 * store, for the sandbox's validators to judge next (src/workflow/validation.ts). A patch that does
 * not verify is a bug, never a pull request.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fix } from '../../skills/engine.js';
import { skillOptionsOf } from '../../skills/options.js';
import { loadSkills } from '../../skills/registry.js';
import { formatMessage } from '../../skills/types.js';
import { verifyFix, type Check } from '../../skills/verify.js';
import type { Task, TaskContext } from '../context.js';
import { PatchError } from '../errors.js';
import { patchFiles } from '../patch-files.js';
import { repositoryOf } from '../repository.js';
import { memberTargets } from '../stored.js';
import type { IterationState, MemberOutcome, Patch, PatchOutput } from '../types.js';
import { validateInSandbox } from '../validation.js';

export const applySkill: Task<IterationState, PatchOutput> = async (state, ctx) => {
  if (state.group) return applySkillToGroup(state, ctx);
  const { finding, decision } = state;
  const target = state.target?.target;
  if (!target) throw new PatchError('ApplySkill needs a located target');
  const repo = repositoryOf(ctx, decision.code === 'remediate' ? decision.repository : undefined);
  const snapshot = await ctx.repositories.snapshot(repo.name);
  const before = target.files.map((path) => ({ path, text: readFileSync(join(snapshot.root, path), 'utf8') }));
  const options = skillOptionsOf(ctx.config);
  const fp = finding.fingerprint;
  const suggestions: string[] = [];
  const all = await loadSkills();
  for (const id of state.target?.skills ?? []) {
    const skill = all.find((s) => s.meta.id === id);
    if (!skill) continue;
    const result = await fix(skill, target.kind, before, options, target.address);
    if (result.files.size === 0) {
      suggestions.push(...result.violations.filter((v) => !v.fixable).map((v) => formatMessage(skill.meta, v)));
      continue;
    }
    const after = before.map((f) => ({ path: f.path, text: result.files.get(f.path) ?? f.text }));
    const validation = await verifyFix({ skill, kind: target.kind, before, after, options, focus: target.address });
    if (!validation.passed) {
      const failed = validation.checks.filter((c) => c.status === 'failed').map((c) => `${c.name}: ${c.detail}`);
      throw new PatchError(`skill ${id} produced a patch that did not verify (${failed.join('; ')})`, { fingerprint: fp, skillId: id });
    }
    const { artifact, changed, fields } = await patchFiles(ctx, fp, repo, snapshot.commit, before, result.files);
    const patch: Patch = {
      ...fields,
      skill: id,
      notes: result.notes,
      messages: result.violations.map((v) => formatMessage(skill.meta, v)),
      risk: skill.meta.riskNote,
      validation,
    };
    const output = { status: 'patched', skill: id, artifact, files: changed, validation } as const;
    return validateInSandbox(ctx, state, { kind: target.kind, before, after, patch, output });
  }
  if (suggestions.length > 0) {
    const reason = `only a person can fix this: ${suggestions.join(' ')}`;
    await ctx.ledger.transition({ fingerprint: fp, from: 'located', to: 'recommended', actor: ctx.actor, at: ctx.now(), reason });
    return { status: 'suggestion', skill: state.target?.skills[0], reason };
  }
  const reason = `${target.file} already satisfies ${finding.controlId ?? 'the control'} for ${target.address}: the deployed resource differs from its code (drift); re-apply the code or run a drift check`;
  await ctx.ledger.transition({ fingerprint: fp, from: 'located', to: 'no_fix', actor: ctx.actor, at: ctx.now(), reason });
  return { status: 'compliant', reason };
};

/** Every member's fix on the same files, one after another, each verified on its own resource: one patch. */
async function applySkillToGroup(state: IterationState, ctx: TaskContext): Promise<PatchOutput> {
  const located = await memberTargets(state, ctx.artifacts);
  const repo = repositoryOf(ctx, state.decision.code === 'remediate' ? state.decision.repository : undefined);
  const snapshot = await ctx.repositories.snapshot(repo.name);
  const kind = state.target?.target?.kind;
  const skill = (await loadSkills()).find((s) => s.meta.id === state.target?.skills[0]);
  if (!kind || !skill) throw new PatchError('ApplySkill needs located members and a skill for the group');
  const options = skillOptionsOf(ctx.config);
  const read = (path: string): string => readFileSync(join(snapshot.root, path), 'utf8');
  const original = new Map<string, string>();
  const current = new Map<string, string>();
  const members: string[] = [];
  const settled: MemberOutcome[] = [];
  const checks: Check[] = [];
  const notes: string[] = [];
  for (const { fingerprint, target } of located) {
    for (const path of target.files) if (!original.has(path)) original.set(path, read(path));
    const before = target.files.map((path) => ({ path, text: current.get(path) ?? original.get(path)! }));
    const result = await fix(skill, kind, before, options, target.address);
    if (result.files.size === 0) {
      const manual = result.violations.filter((v) => !v.fixable).map((v) => formatMessage(skill.meta, v));
      const [to, status, reason] =
        manual.length > 0
          ? (['recommended', 'recommended', `only a person can fix this: ${manual.join(' ')}`] as const)
          : ([
              'no_fix',
              'no_fix',
              `${target.file} already satisfies ${state.finding.controlId ?? 'the control'} for ${target.address}`,
            ] as const);
      settled.push({ fingerprint, status, reason });
      await ctx.ledger.transition({ fingerprint, from: 'located', to, actor: ctx.actor, at: ctx.now(), reason });
      continue;
    }
    const after = before.map((f) => ({ path: f.path, text: result.files.get(f.path) ?? f.text }));
    const verified = await verifyFix({ skill, kind, before, after, options, focus: target.address });
    if (!verified.passed) {
      const failed = verified.checks.filter((c) => c.status === 'failed').map((c) => `${c.name}: ${c.detail}`);
      throw new PatchError(`skill ${skill.meta.id} produced a patch for ${target.address} that did not verify (${failed.join('; ')})`, {
        fingerprint,
        skillId: skill.meta.id,
      });
    }
    for (const f of after) current.set(f.path, f.text);
    members.push(fingerprint);
    notes.push(...result.notes.map((n) => `${target.address}: ${n}`));
    checks.push(...verified.checks.map((c) => ({ ...c, detail: `${target.address}: ${c.detail}` })));
  }
  if (members.length === 0)
    return { status: 'compliant', skill: skill.meta.id, reason: 'no finding of the batch needed a change', members, settled };
  const before = [...original].map(([path, text]) => ({ path, text }));
  const after = before.map((f) => ({ path: f.path, text: current.get(f.path) ?? f.text }));
  const changes = new Map([...current].filter(([path, text]) => original.get(path) !== text));
  const { artifact, changed, fields } = await patchFiles(ctx, members[0]!, repo, snapshot.commit, before, changes);
  const validation = { passed: true, checks };
  const patch: Patch = { ...fields, skill: skill.meta.id, notes, messages: [], risk: skill.meta.riskNote, validation };
  // The validators judge the group's one patch, once: they read files, not resources.
  const output = { status: 'patched', skill: skill.meta.id, artifact, files: changed, validation, members, settled } as const;
  return validateInSandbox(ctx, state, { kind, before, after, patch, output });
}
