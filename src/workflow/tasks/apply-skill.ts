/**
 * ApplySkill: the deterministic fix. For each finding still in the work item, the skills covering
 * its control run on its located resource, one after another on the same files, each fix verified
 * on its own (src/skills/fix-and-verify.ts): one patch for the item, left in the artifact store for
 * the sandbox's validators to judge next (src/workflow/validation.ts). A finding with nothing to
 * fix, or only a person's fix, leaves the item with that outcome. A fix that does not verify is a
 * bug, never a pull request.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixAndVerify } from '../../skills/fix-and-verify.js';
import { skillOptionsOf } from '../../skills/options.js';
import { loadSkills } from '../../skills/registry.js';
import type { Skill, SkillOptions } from '../../skills/types.js';
import { verifyFix, type Check } from '../../skills/verify.js';
import type { Target } from '../../iac/locate.js';
import type { SourceFile } from '../../iac/source.js';
import type { Task } from '../context.js';
import { PatchError } from '../errors.js';
import { activeTargets, AGENT_ONE_AT_A_TIME, codeTargets, needsModel, settle } from '../item.js';
import { cdkInSandbox } from '../cdk.js';
import { patchFiles, risksOf } from '../patch-files.js';
import { repositoryOf } from '../repository.js';
import type { IterationState, Patch, PatchOutput, Settled } from '../types.js';
import { validateInSandbox } from '../validation.js';

/**
 * The checks that `files` (this item's patch so far) fix what `skills` would have fixed in the
 * original files on the target; undefined when there was nothing for them to fix.
 */
async function fixedEarlier(
  skills: readonly Skill[],
  target: Target,
  files: readonly SourceFile[],
  originalOf: (path: string) => string,
  options: SkillOptions,
): Promise<readonly Check[] | undefined> {
  const before = files.map((f) => ({ path: f.path, text: originalOf(f.path) }));
  if (before.every((f, i) => f.text === files[i]!.text)) return undefined;
  const needed = await fixAndVerify({ skills, kind: target.kind, files: before, options, focus: target.address });
  if (needed.status !== 'fixed') return undefined;
  const checks: Check[] = [];
  for (const { skill } of needed.steps) {
    const verification = await verifyFix({ skill, kind: target.kind, before, after: files, options, focus: target.address });
    if (!verification.passed)
      throw new PatchError(`the patch leaves ${target.address} failing ${skill.meta.id}`, { skillId: skill.meta.id });
    checks.push(...verification.checks);
  }
  return checks;
}

export const applySkill: Task<IterationState, PatchOutput> = async (state, ctx) => {
  const located = await activeTargets(state, ctx.artifacts, 'ApplySkill');
  // A CDK app runs only in the sandbox: it is synthesized, fixed and verified there whole.
  if (located[0].target.kind === 'cdk') return cdkInSandbox(ctx, located);
  const findings = await codeTargets(state, ctx.artifacts, 'ApplySkill');
  const repo = repositoryOf(ctx, findings[0]);
  const snapshot = await ctx.repositories.snapshot(repo.name, repo.defaultBranch);
  const options = skillOptionsOf(ctx.config);
  const all = await loadSkills();
  const original = new Map<string, string>();
  const current = new Map<string, string>();
  const fixed: string[] = [];
  const settled: Settled[] = [];
  const used = new Map<string, Skill>();
  const checks: Check[] = [];
  const notes: string[] = [];
  const messages: string[] = [];
  const remaining: string[] = [];
  // Several findings: every detail says which resource it is about.
  const about = (text: string, address: string): string => (findings.length > 1 ? `${address}: ${text}` : text);
  for (const { finding, fingerprint, target, skills } of findings) {
    for (const path of target.files) if (!original.has(path)) original.set(path, readFileSync(join(snapshot.root, path), 'utf8'));
    const files = target.files.map((path) => ({ path, text: current.get(path) ?? original.get(path)! }));
    const control = finding.controlId ?? 'the control';
    const covering = skills.flatMap((id) => all.find((s) => s.meta.id === id) ?? []);
    if (covering.length === 0) {
      settled.push(await needsModel(ctx, finding, target.kind, AGENT_ONE_AT_A_TIME));
      continue;
    }
    const result = await fixAndVerify({ skills: covering, kind: target.kind, files, options, focus: target.address });
    if (result.status === 'failed')
      throw new PatchError(`skill ${result.skill.meta.id} produced a patch for ${target.address} that did not verify (${result.reason})`, {
        fingerprint,
        skillId: result.skill.meta.id,
      });
    if (result.status === 'unfixed' && result.suggestions.length === 0) {
      // Another finding's fix in this item may have fixed this one too (EC2.13 and EC2.19 on one group): it is in the patch, verified.
      const verified = await fixedEarlier(covering, target, files, (path) => original.get(path)!, options);
      if (verified) {
        fixed.push(fingerprint);
        checks.push(...verified.map((c) => ({ ...c, detail: about(c.detail, target.address) })));
        continue;
      }
    }
    if (result.status === 'unfixed') {
      settled.push(
        result.suggestions.length > 0
          ? await settle(ctx, fingerprint, 'located', 'recommended', `only a person can fix this: ${result.suggestions.join(' ')}`)
          : await settle(
              ctx,
              fingerprint,
              'located',
              'no_fix',
              `${target.file} already satisfies ${control} for ${target.address}: the deployed resource differs from its code (drift); re-apply the code or run a drift check`,
            ),
      );
      continue;
    }
    for (const f of result.after) current.set(f.path, f.text);
    fixed.push(fingerprint);
    for (const step of result.steps) {
      used.set(step.skill.meta.id, step.skill);
      notes.push(...step.notes.map((n) => about(n, target.address)));
      messages.push(...step.messages);
      checks.push(...step.verification.checks.map((c) => ({ ...c, detail: about(c.detail, target.address) })));
      remaining.push(...(step.verification.remaining ?? []).map((r) => about(r, target.address)));
    }
  }
  const skill = [...used.keys()].join(', ') || findings[0].skills[0];
  if (fixed.length === 0) return { status: 'suggestion', skill, reason: 'no finding of the item needed a change', members: fixed, settled };
  const before = [...original].map(([path, text]) => ({ path, text }));
  const after = before.map((f) => ({ path: f.path, text: current.get(f.path) ?? f.text }));
  const changes = new Map([...current].filter(([path, text]) => original.get(path) !== text));
  const { artifact, changed, fields } = await patchFiles(ctx, fixed[0]!, repo, snapshot.commit, before, changes);
  const validation = { passed: true, checks, ...(remaining.length > 0 ? { remaining } : {}) };
  const patch: Patch = {
    ...fields,
    skill,
    notes,
    messages,
    ...risksOf([...used.values()].map((s) => s.meta)),
    validation,
  };
  // The validators judge the item's one patch, once: they read files, not resources.
  const output = { status: 'patched', skill, artifact, files: changed, validation, members: fixed, settled } as const;
  return validateInSandbox(ctx, state, { kind: findings[0].target.kind, before, after, patch, output });
};
