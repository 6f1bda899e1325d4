/**
 * The guardrail against real fixes: every skill's fix of its own vulnerable cases must pass it, and
 * undoing a fix that closed an exposure must not.
 */
import { describe, expect, it } from 'vitest';
import { checkPatch, type GuardrailRule } from '../../src/guardrails/index.js';
import { fix } from '../../src/skills/engine.js';
import { loadSkills } from '../../src/skills/registry.js';
import type { Skill } from '../../src/skills/types.js';
import { CASE_OPTIONS, caseFiles, type CaseFile } from '../skills/case-files.js';

const skills = await loadSkills();
const inputs = skills.flatMap((skill) => caseFiles(skill.meta.id).filter((c) => c.role === 'input').map((c) => [`${skill.meta.id} ${c.file}`, skill, c] as const));

async function fixed(skill: Skill, c: CaseFile): Promise<string> {
  const result = await fix(skill, c.kind, [{ path: c.file, text: c.text }], CASE_OPTIONS);
  return result.files.get(c.file) ?? c.text;
}

/** Fixes whose undoing (the fixed file patched back to the vulnerable one) reopens what they closed. */
const UNDONE: readonly (readonly [string, string, GuardrailRule])[] = [
  ['s3-block-public-access', 'block-settings-off.input.tf', 'widened-network'],
  ['s3-block-public-access', 'settings-off.input.json', 'widened-network'],
  ['s3-block-public-access', 'bucket-without-block.input.tf', 'removed-resource'],
  ['ec2-open-ingress', 'bastion-ssh.input.tf', 'widened-network'],
  ['ec2-open-ingress', 'admin-ports.input.yaml', 'widened-network'],
  ['rds-not-public', 'public-instance.input.tf', 'widened-network'],
  ['lambda-no-public-access', 'api-and-topic.input.tf', 'widened-iam'],
  ['s3-public-access-controls', 'website-acl.input.tf', 'widened-iam'],
  ['s3-tls-only', 'partial-deny.input.yaml', 'widened-iam'],
];

describe('checkPatch on skill fixes', () => {
  it('covers the skills the guardrail must never stop', () => {
    const ids = new Set(inputs.map(([, skill]) => skill.meta.id));
    for (const id of ['s3-block-public-access', 's3-tls-only', 'ec2-open-ingress', 'rds-storage-encrypted']) expect(ids).toContain(id);
  });

  it.each(inputs)('lets the patch pass when %s is fixed', async (_, skill, c) => {
    const after = await fixed(skill, c);
    expect(after).not.toBe(c.text);
    await expect(checkPatch({ kind: c.kind, allowedFiles: [c.file], files: [{ path: c.file, before: c.text, after }] })).resolves.toEqual([]);
  });

  it.each(UNDONE)('reports it when the fix of %s %s is undone (%s)', async (id, file, rule) => {
    const [, skill, c] = inputs.find(([, s, x]) => s.meta.id === id && x.file === file) ?? [];
    if (!skill || !c) throw new Error(`no case ${id} ${file}`);
    const violations = await checkPatch({ kind: c.kind, allowedFiles: [c.file], files: [{ path: c.file, before: await fixed(skill, c), after: c.text }] });
    expect(violations.map((v) => v.rule)).toContain(rule);
  });
});
