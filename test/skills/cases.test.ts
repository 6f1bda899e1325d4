/**
 * The skill tester, after ESLint's RuleTester: one table-driven suite runs every case of every
 * skill. Vulnerable inputs must fix to their exact expected output, which must parse, no longer
 * violate, and not change when fixed again; compliant inputs must stay untouched.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/iac/source.js';
import { detect, fix } from '../../src/skills/engine.js';
import { loadSkills } from '../../src/skills/registry.js';
import { formatMessage, type Skill } from '../../src/skills/types.js';
import { verifyFix } from '../../src/skills/verify.js';
import { CASE_OPTIONS, caseFiles, outputFor, type CaseFile } from './case-files.js';

const skills = await loadSkills();

async function violationsIn(skill: Skill, c: Pick<CaseFile, 'kind' | 'file' | 'text'>) {
  const source = await parseSource(c.kind, [{ path: c.file, text: c.text }]);
  return detect(skill, source, CASE_OPTIONS).flatMap((d) => d.violations);
}

async function fixText(skill: Skill, c: Pick<CaseFile, 'kind' | 'file' | 'text'>): Promise<string> {
  const result = await fix(skill, c.kind, [{ path: c.file, text: c.text }], CASE_OPTIONS);
  return result.files.get(c.file) ?? c.text;
}

function commentLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('#') || l.startsWith('//'));
}

describe.each(skills.map((s) => [s.meta.id, s] as const))('skill %s', (id, skill) => {
  const cases = caseFiles(id);

  it('has no duplicate cases', () => {
    const hashes = cases.filter((c) => c.role !== 'output').map((c) => createHash('sha256').update(c.text).digest('hex'));
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  describe.each(cases.filter((c) => c.role === 'input').map((c) => [c.file, c] as const))('vulnerable %s', (_, input) => {
    it('is detected, with known messages', async () => {
      const violations = await violationsIn(skill, input);
      expect(violations.length).toBeGreaterThan(0);
      for (const v of violations) expect(formatMessage(skill.meta, v)).not.toMatch(/\{\{/);
      expect(violations.some((v) => v.fixable)).toBe(true);
    });

    it('fixes to exactly the expected output', async () => {
      const expected = outputFor(cases, input);
      expect(expected, `write ${input.name}.output.${input.file.split('.').pop()} next to it`).toBeDefined();
      const output = await fixText(skill, input);
      expect(output).not.toBe(input.text);
      expect(output).toBe(expected?.text);
    });

    it('leaves output that parses, no longer violates, keeps every comment, is stable under a second fix, and is partial exactly when something remains', async () => {
      const output = await fixText(skill, input);
      const left = await violationsIn(skill, { ...input, text: output });
      expect(left.filter((v) => v.fixable)).toEqual([]);
      for (const line of commentLines(input.text)) expect(output).toContain(line);
      const verification = await verifyFix({
        skill,
        kind: input.kind,
        before: [{ path: input.file, text: input.text }],
        after: [{ path: input.file, text: output }],
        options: CASE_OPTIONS,
      });
      const remaining = [...new Set(left.filter((v) => v.kind === 'violation').map((v) => formatMessage(skill.meta, v)))];
      expect(verification).toMatchObject({ passed: true, remaining });
      expect(verification.checks.map((c) => `${c.name}: ${c.status}`)).toEqual([
        'parses: passed',
        `detect-clean: ${remaining.length > 0 ? 'partial' : 'passed'}`,
        'idempotent: passed',
      ]);
    });
  });

  it.each(cases.filter((c) => c.role === 'output').map((c) => [c.file, c] as const))('%s belongs to an input case', (_, output) => {
    expect(cases.some((c) => c.role === 'input' && c.name === output.name && c.kind === output.kind)).toBe(true);
  });

  it.each(cases.filter((c) => c.role === 'valid').map((c) => [c.file, c] as const))('leaves compliant %s untouched', async (_, valid) => {
    expect(await violationsIn(skill, valid)).toEqual([]);
    expect(await fixText(skill, valid)).toBe(valid.text);
  });

  it.each(cases.filter((c) => c.role === 'manual').map((c) => [c.file, c] as const))(
    'reports %s for a person and edits nothing',
    async (_, manual) => {
      const violations = await violationsIn(skill, manual);
      expect(violations.length).toBeGreaterThan(0);
      expect(violations.every((v) => !v.fixable)).toBe(true);
      expect(await fixText(skill, manual)).toBe(manual.text);
    },
  );
});
