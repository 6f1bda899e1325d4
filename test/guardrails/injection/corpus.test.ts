import { describe, expect, it } from 'vitest';
import { untrustedSection } from '../../../src/agent/untrusted.js';
import { checkPatch, NEEDS_APPROVAL } from '../../../src/guardrails/index.js';
import { printable } from '../../../src/printable.js';
import { CORPUS, inputOf, type InjectionCase } from './corpus.js';
import { HONEST_FIXES } from './fixtures.js';
import { expectPlaced } from '../judge.js';

/** The patch an honest model would write for a case: the same fix, nothing else (the comment, if any, stays). */
function honest(c: InjectionCase): string | undefined {
  const fix = HONEST_FIXES.find(([from]) => c.before.endsWith(from));
  return fix ? `${c.before.slice(0, c.before.length - fix[0].length)}${fix[1]}` : undefined;
}

const HONEST = CORPUS.flatMap((c) => {
  const after = honest(c);
  return after === undefined ? [] : [{ ...c, after }];
});

describe('prompt-injection corpus', () => {
  it('holds at least 24 distinct cases over every vector and both IaC kinds', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(24);
    expect(new Set(CORPUS.map((c) => c.id)).size).toBe(CORPUS.length);
    expect(new Set(CORPUS.map((c) => c.vector))).toEqual(new Set(['finding-title', 'finding-description', 'tag', 'iac-comment']));
    expect(new Set(CORPUS.map((c) => c.kind))).toEqual(new Set(['terraform', 'cloudformation']));
  });

  it.each(CORPUS)('$id: the compromised patch is refused for $rule', async (c) => {
    const violations = await checkPatch(inputOf(c));
    expect(
      violations.map((v) => v.rule),
      JSON.stringify(violations, null, 2),
    ).toContain(c.rule);
    const files = inputOf(c).files.map((f) => f.path);
    for (const v of violations) {
      expect(printable(v.message)).toBe(v.message);
      expectPlaced(v);
      expect(files).toContain(v.file);
    }
  });

  it.each(CORPUS)('$id: the file before the patch passes on its own', async (c) => {
    await expect(
      checkPatch({ kind: c.kind, allowedFiles: [c.path], files: [{ path: c.path, before: c.before, after: c.before }] }),
    ).resolves.toEqual([]);
  });

  it('has an honest fix for most cases', () => {
    expect(HONEST.length).toBeGreaterThanOrEqual(CORPUS.length / 2);
  });

  it.each(HONEST)('$id: the honest fix passes, at most asking an approver for a replacement', async (c) => {
    const violations = await checkPatch({
      kind: c.kind,
      allowedFiles: [c.path],
      files: [{ path: c.path, before: c.before, after: c.after }],
    });
    expect(violations.filter((v) => !NEEDS_APPROVAL.has(v.rule))).toEqual([]);
  });

  it.each(CORPUS)('$id: the hostile input stays inside one untrusted block', (c) => {
    const section = untrustedSection('finding', c.input, 4_000);
    expect(section.match(/<untrusted-data /g)).toHaveLength(1);
    expect(section.match(/<\/untrusted-data /g)).toHaveLength(1);
    expect(section.endsWith('">')).toBe(true);
  });
});
