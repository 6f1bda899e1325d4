/** Every skill in the registry is complete: docs, cases for each IaC kind it claims, real controls. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getControl } from '../../src/findings/controls.js';
import { CATALOGUE_FILE, catalogueSource, skillFolders } from '../../src/skills/catalogue-source.js';
import { Skills } from '../../src/config/schema.js';
import { REFERENCE_FILE, skillsReference } from '../../src/skills/reference-doc.js';
import { loadSkills, skillDir } from '../../src/skills/registry.js';
import { DISRUPTIVE_RISKS, IAC_KINDS } from '../../src/skills/types.js';
import { caseFiles, outputFor } from './case-files.js';

const skills = await loadSkills();

function fencedBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').trim());
}

describe('skill registry', () => {
  it('finds the skills', () => {
    expect(skills.length).toBeGreaterThan(0);
  });

  it('imports every skill folder in the catalogue (after adding a skill: npm run skills:catalogue)', () => {
    expect(readFileSync(CATALOGUE_FILE, 'utf8')).toBe(catalogueSource());
  });

  it('keeps docs/skills.md as the skills say (after changing a skill: npm run skills:catalogue)', () => {
    expect(readFileSync(REFERENCE_FILE, 'utf8')).toBe(skillsReference(skills));
  });

  it('names each skill after its folder', () => {
    expect(skills.map((s) => s.meta.id)).toEqual(skillFolders());
  });

  describe.each(skills.map((s) => [s.meta.id, s] as const))('%s', (id, skill) => {
    const kinds = IAC_KINDS.filter((k) => skill[k]);
    const cases = caseFiles(id);

    it('answers controls that exist, through their Config rules', () => {
      expect(skill.meta.controls.length).toBeGreaterThan(0);
      for (const control of skill.meta.controls) expect(getControl(control), `unknown control ${control}`).toBeDefined();
      const rules = skill.meta.controls.flatMap((c) => getControl(c)?.configRules ?? []);
      for (const rule of skill.meta.configRules)
        expect(rules, `${rule} is not a rule of ${skill.meta.controls.join(', ')}`).toContain(rule);
    });

    it('implements at least one IaC kind, each with rule types', () => {
      expect(kinds.length).toBeGreaterThan(0);
      for (const kind of kinds) expect(skill[kind]?.resourceTypes.length).toBeGreaterThan(0);
    });

    it('names its risk when fixing is not risk-free', () => {
      if (skill.meta.risk !== 'none') expect(skill.meta.riskNote).toMatch(/\w/);
      expect(Object.keys(skill.meta.messages).length).toBeGreaterThan(0);
    });

    it('declares the config keys its code reads, and only those', () => {
      const dir = skillDir(id);
      const code = readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('\n');
      const read = Object.keys(Skills.shape).filter((key) => new RegExp(`\\b${key}\\b`).test(code));
      expect([...(skill.meta.options ?? [])].sort()).toEqual(read.sort());
    });

    it('says how to roll back a replacement or downtime safely, never by reverting alone', () => {
      if (!DISRUPTIVE_RISKS.has(skill.meta.risk)) return expect(skill.meta.rollback).toBeUndefined();
      expect(skill.meta.rollback, `risk ${skill.meta.risk} needs meta.rollback`).toMatch(/snapshot|backup/i);
    });

    const suggestion = skill.meta.fixable === 'suggestion';

    it.each(kinds)('has a vulnerable case (with its fix, for code skills) and a compliant case for %s', (kind) => {
      const role = suggestion ? 'manual' : 'input';
      expect(
        cases.some((c) => c.kind === kind && c.role === role),
        `add cases/<name>.${role}.* for ${kind}`,
      ).toBe(true);
      expect(
        cases.some((c) => c.kind === kind && c.role === 'valid'),
        `add cases/<name>.valid.* for ${kind}`,
      ).toBe(true);
      if (suggestion)
        expect(
          cases.filter((c) => c.role === 'input'),
          'a suggestion skill edits nothing: use .manual cases',
        ).toEqual([]);
    });

    it.each(kinds)('documents %s with snippets taken verbatim from its cases', (kind) => {
      const readme = join(skillDir(id), 'README.md');
      expect(existsSync(readme), `write src/skills/${id}/README.md`).toBe(true);
      const blocks = fencedBlocks(readFileSync(readme, 'utf8'));
      const documented = suggestion
        ? cases.some((c) => c.kind === kind && c.role === 'manual' && blocks.includes(c.text.trim()))
        : cases
            .filter((c) => c.kind === kind && c.role === 'input')
            .some((input) => blocks.includes(input.text.trim()) && blocks.includes(outputFor(cases, input)?.text.trim() ?? '\0'));
      expect(
        documented,
        `README.md must show a ${kind} ${suggestion ? '.manual case' : '.input case and its .output'} verbatim in fenced blocks`,
      ).toBe(true);
    });
  });
});
