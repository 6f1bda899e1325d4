/**
 * The adversarial corpus (issue 13): its shape, then every case's verdict, as `cloudmend guard` and,
 * where a case names a target, as cloudmend's own patch held to its contract. A run prints the
 * wrong verdicts by family at the end.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPatch, NEEDS_APPROVAL, type GuardrailViolation } from '../../../src/guardrails/index.js';
import type { Hidden } from './case.js';
import { CORPUS, inputOf, type AdversarialCase, type Family } from './corpus.js';
import { isHcl, readTemplate, readTerraform, templateErrors, valueAt } from './readings.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The least each family must hold (issue 13): broad coverage, since hidden cases exist too. */
const MINIMUM: Readonly<Record<Family, number>> = {
  deletion: 5,
  replacement: 5,
  iam: 5,
  network: 5,
  'public-access': 5,
  encryption: 5,
  monitoring: 4,
  'code-execution': 5,
  'external-read': 5,
  secrets: 5,
  'backend-provider': 5,
  'canonical-text': 5,
  'parser-agreement': 12,
  'yaml-1.1': 5,
  evaluation: 15,
  contract: 10,
  safe: 20,
};

/** Control and format characters a source file must spell as escapes, never hold raw. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

const changed = (c: AdversarialCase): AdversarialCase['files'] => c.files.filter((f) => f.before !== f.after);

/** Why the real tool cannot read one file after the patch; undefined when it can. */
async function unreadable(c: AdversarialCase, path: string, text: string): Promise<string | undefined> {
  if (c.kind === 'cloudformation') return templateErrors(path, text).join('; ') || undefined;
  if (!isHcl(path)) return undefined;
  try {
    await readTerraform(path, text);
    return undefined;
  } catch (error) {
    return String(error);
  }
}

/** Where the real tool sees a smuggled block in one text, or undefined when it does not. */
async function seen(c: AdversarialCase, path: string, text: string | undefined, at: Hidden['at']): Promise<unknown> {
  if (text === undefined) return undefined;
  return valueAt(c.kind === 'terraform' ? await readTerraform(path, text) : readTemplate(path, text), at);
}

describe('adversarial corpus', () => {
  it('holds at least 120 cases, at least 40 of each IaC kind, under unique kebab-case ids', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(120);
    expect(CORPUS.filter((c) => c.kind === 'terraform').length).toBeGreaterThanOrEqual(40);
    expect(CORPUS.filter((c) => c.kind === 'cloudformation').length).toBeGreaterThanOrEqual(40);
    expect(new Set(CORPUS.map((c) => c.id)).size).toBe(CORPUS.length);
    for (const c of CORPUS) expect(c.id).toMatch(/^[a-z0-9]+(-[a-z0-9.]+)*$/);
  });

  it('covers every family at least as often as issue 13 asks, safe cases in both kinds and both modes', () => {
    for (const [family, least] of Object.entries(MINIMUM)) {
      expect(CORPUS.filter((c) => c.family === family).length, family).toBeGreaterThanOrEqual(least);
    }
    const safe = CORPUS.filter((c) => c.family === 'safe');
    expect(new Set(safe.map((c) => `${c.kind}/${c.target ? 'patch' : 'guard'}`)).size).toBe(4);
  });

  it.each(CORPUS)('$id: expects a patch verdict exactly when it names a target, and changes something', (c) => {
    expect(c.expect.patch !== undefined).toBe(c.target !== undefined);
    if (c.family === 'safe') expect([c.expect.guard, c.expect.patch ?? 'pass']).toEqual(['pass', 'pass']);
    if (c.family === 'contract') expect(c.expect.patch).toBe('refuse');
    expect(changed(c).length).toBeGreaterThan(0);
    expect(new Set(c.files.map((f) => f.path)).size).toBe(c.files.length);
    expect(c.why.length).toBeGreaterThan(20);
    if (c.unparsable) expect([c.why.startsWith('About unparsable text'), c.expect.guard]).toEqual([true, 'refuse']);
  });

  it('spells invisible characters as escapes in its sources', () => {
    for (const name of readdirSync(HERE).filter((n) => n.endsWith('.ts'))) {
      expect(INVISIBLE.test(readFileSync(join(HERE, name), 'utf8')), name).toBe(false);
    }
  });

  it.each(CORPUS)('$id: every file parses as the real tool reads it (unless the case is about that)', async (c) => {
    for (const f of c.files) {
      if (f.before !== undefined) expect(await unreadable(c, f.path, f.before), `${f.path} before`).toBeUndefined();
    }
    const failures = await Promise.all(c.files.map((f) => unreadable(c, f.path, f.after)));
    if (c.unparsable)
      expect(
        failures.some((failure) => failure !== undefined),
        'meant not to parse',
      ).toBe(true);
    else expect(failures, 'after').toEqual(c.files.map(() => undefined));
  });

  // Every Terraform smuggle names what it hides (issue 13); a template smuggle does when the real reading is defined.
  const smuggles = CORPUS.filter((c) => c.family === 'parser-agreement' && !c.unparsable).filter((c) => c.kind === 'terraform' || c.hidden);
  it.each(smuggles)('$id: the real tool sees the smuggled block or value, which was not there before', async (c) => {
    expect(c.hidden, 'a smuggle names what it hides').toBeDefined();
    const { path, at, value } = c.hidden ?? { path: '', at: [] };
    const file = c.files.find((f) => f.path === path);
    const [after, before] = [await seen(c, path, file?.after, at), await seen(c, path, file?.before, at)];
    if (value === undefined) {
      expect(after).toBeDefined();
      expect(before).toBeUndefined();
    } else {
      expect(after).toEqual(value);
      expect(before).not.toEqual(value);
    }
  });

  // Most cases share their starting point: each distinct one is judged once, unchanged.
  const starts = new Map(
    CORPUS.map((c) => {
      const files = c.files.flatMap(({ path, before }) => (before === undefined ? [] : [{ path, before, after: before }]));
      return [JSON.stringify([c.kind, files]), { id: c.id, kind: c.kind, files }] as const;
    }),
  );
  it.each([...starts.values()])('the module or template $id starts from passes on its own', async ({ kind, files }) => {
    const violations = await checkPatch({ kind, allowedFiles: files.map((f) => f.path), files });
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });
});

type Verdict = 'pass' | 'refuse' | 'approval';

/** pass: no violation; approval: only replacements (at least one); refuse: anything else. */
function verdictOf(violations: readonly GuardrailViolation[]): Verdict {
  if (violations.length === 0) return 'pass';
  return violations.every((v) => NEEDS_APPROVAL.has(v.rule)) ? 'approval' : 'refuse';
}

/** Wrong verdicts by family, printed after the run: the baseline of the guardrail under test. */
const wrong = new Map<string, string[]>();
const note = (c: AdversarialCase, mode: string, expected: Verdict, actual: Verdict): void => {
  if (expected !== actual) {
    wrong.set(c.family, [...(wrong.get(c.family) ?? []), `${c.id} (${mode}: ${expected}, got ${actual})`]);
  }
};

describe('adversarial corpus against the guardrail', () => {
  afterAll(() => {
    const total = CORPUS.length + CORPUS.filter((c) => c.target).length;
    const misses = [...wrong.values()].flat();
    if (misses.length === 0) return;
    console.log(`adversarial corpus: ${misses.length} wrong verdicts of ${total}`);
    for (const [family, cases] of [...wrong.entries()].sort()) {
      console.log(`  ${family}: ${cases.length}\n    ${cases.join('\n    ')}`);
    }
  });

  it.each(CORPUS)('$id: as `cloudmend guard`, expected $expect.guard', async (c) => {
    const violations = await checkPatch(inputOf(c, false));
    // `cloudmend guard` has no approver: a replacement there is refused like any other violation.
    const actual = verdictOf(violations) === 'pass' ? 'pass' : 'refuse';
    note(c, 'guard', c.expect.guard, actual);
    expect(actual, JSON.stringify(violations, null, 2)).toBe(c.expect.guard);
  });

  const targeted = CORPUS.filter((c) => c.target);
  it.each(targeted)("$id: as cloudmend's own patch for $target.address, expected $expect.patch", async (c) => {
    const violations = await checkPatch(inputOf(c, true));
    const actual = verdictOf(violations);
    note(c, 'patch', c.expect.patch ?? 'pass', actual);
    expect(actual, JSON.stringify(violations, null, 2)).toBe(c.expect.patch);
  });
});
