/**
 * The guardrail against real fixes: every skill's fix of its own vulnerable cases must pass it — as
 * any change (`cloudmend guard`), and as cloudmend's own patch held to its contract for the
 * resource the skill fixed — asking at most for an approver when the fix replaces a resource; and
 * undoing a fix that closed an exposure must not pass.
 */
import { describe, expect, it } from 'vitest';
import { checkPatch, NEEDS_APPROVAL, type GuardrailInput, type GuardrailRule } from '../../src/guardrails/index.js';
import { parseSource } from '../../src/iac/source.js';
import { detect, fix } from '../../src/skills/engine.js';
import { loadSkills } from '../../src/skills/registry.js';
import type { Skill } from '../../src/skills/types.js';
import { CASE_OPTIONS, caseFiles, type CaseFile } from '../skills/case-files.js';

const skills = await loadSkills();
const inputs = skills.flatMap((skill) =>
  caseFiles(skill.meta.id)
    .filter((c) => c.role === 'input')
    .map((c) => [`${skill.meta.id} ${c.file}`, skill, c] as const),
);

async function fixed(skill: Skill, c: CaseFile): Promise<string> {
  const result = await fix(skill, c.kind, [{ path: c.file, text: c.text }], CASE_OPTIONS);
  return result.files.get(c.file) ?? c.text;
}

/** The resources the skill's fix is for: those with a fixable violation before it. */
async function targetsOf(skill: Skill, c: CaseFile): Promise<string[]> {
  const source = await parseSource(c.kind, [{ path: c.file, text: c.text }]);
  return [...new Set(detect(skill, source, CASE_OPTIONS).flatMap((d) => d.violations.filter((v) => v.fixable).map((v) => v.resource)))];
}

/** What a fix may still ask for: an approver, when it replaces a resource, and only for a skill that says so. */
function refusals(skill: Skill, rules: readonly GuardrailRule[]): GuardrailRule[] {
  return rules.filter((r) => !(NEEDS_APPROVAL.has(r) && skill.meta.risk === 'replacement'));
}

/** Fixes whose undoing (the fixed file patched back to the vulnerable one) reopens what they closed. */
const UNDONE: readonly (readonly [string, string, GuardrailRule])[] = [
  ['s3-block-public-access', 'block-settings-off.input.tf', 'public-access'],
  ['s3-block-public-access', 'settings-off.input.json', 'public-access'],
  ['s3-block-public-access', 'bucket-without-block.input.tf', 'removed-resource'],
  ['ec2-open-ingress', 'bastion-ssh.input.tf', 'widened-network'],
  ['ec2-open-ingress', 'admin-ports.input.yaml', 'widened-network'],
  ['rds-not-public', 'public-instance.input.tf', 'widened-network'],
  ['lambda-no-public-access', 'api-and-topic.input.tf', 'public-access'],
  ['s3-public-access-controls', 'website-acl.input.tf', 'public-access'],
  ['s3-tls-only', 'partial-deny.input.yaml', 'widened-iam'],
  ['rds-storage-encrypted', 'instance-unencrypted.input.yaml', 'weakened-encryption'],
  ['kms-key-rotation', 'rotation-off.input.json', 'weakened-encryption'],
  ['efs-encrypted', 'file-system.input.yaml', 'weakened-encryption'],
  ['ebs-encrypted', 'app-server.input.tf', 'weakened-encryption'],
  ['ebs-default-encryption', 'disabled.input.tf', 'weakened-encryption'],
  ['ec2-no-public-ip', 'bastion.input.tf', 'widened-network'],
  ['subnet-no-auto-public-ip', 'public-subnet.input.yaml', 'widened-network'],
];

describe('checkPatch on skill fixes', () => {
  it('covers the skills the guardrail must never stop', () => {
    const ids = new Set(inputs.map(([, skill]) => skill.meta.id));
    for (const id of ['s3-block-public-access', 's3-tls-only', 'ec2-open-ingress', 'rds-storage-encrypted']) expect(ids).toContain(id);
  });

  it.each(inputs)('lets the patch pass as any change when %s is fixed', async (_, skill, c) => {
    const after = await fixed(skill, c);
    expect(after).not.toBe(c.text);
    const violations = await checkPatch({ kind: c.kind, allowedFiles: [c.file], files: [{ path: c.file, before: c.text, after }] });
    expect(
      refusals(
        skill,
        violations.map((v) => v.rule),
      ),
      JSON.stringify(violations, null, 2),
    ).toEqual([]);
  });

  it.each(inputs)('holds the fix of %s to its contract, for the resource it fixes and its control', async (_, skill, c) => {
    const [address, ...also] = await targetsOf(skill, c);
    expect(address).toBeDefined();
    const input: GuardrailInput = {
      kind: c.kind,
      allowedFiles: [c.file],
      files: [{ path: c.file, before: c.text, after: await fixed(skill, c) }],
    };
    // A finding names one control; the fix must pass for the control the skill answers it for.
    const verdicts = await Promise.all(
      skill.meta.controls.map((controlId) => checkPatch({ ...input, contract: { address: address!, alsoAddresses: also, controlId } })),
    );
    const best = verdicts.reduce((a, b) =>
      refusals(
        skill,
        b.map((v) => v.rule),
      ).length <
      refusals(
        skill,
        a.map((v) => v.rule),
      ).length
        ? b
        : a,
    );
    expect(
      refusals(
        skill,
        best.map((v) => v.rule),
      ),
      JSON.stringify(best, null, 2),
    ).toEqual([]);
  });

  it.each(UNDONE)('reports it when the fix of %s %s is undone (%s)', async (id, file, rule) => {
    const [, skill, c] = inputs.find(([, s, x]) => s.meta.id === id && x.file === file) ?? [];
    if (!skill || !c) throw new Error(`no case ${id} ${file}`);
    const violations = await checkPatch({
      kind: c.kind,
      allowedFiles: [c.file],
      files: [{ path: c.file, before: await fixed(skill, c), after: c.text }],
    });
    expect(violations.map((v) => v.rule)).toContain(rule);
  });
});
