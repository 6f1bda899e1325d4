import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPatch, type GuardrailInput, type GuardrailRule } from '../../src/guardrails/index.js';
import { expectPlaced } from './judge.js';
import { caseFiles } from '../skills/case-files.js';

const RULES: readonly GuardrailRule[] = [
  'outside-target',
  'outside-contract',
  'unparsable',
  'parser-disagreement',
  'hidden-text',
  'removed-resource',
  'replacement',
  'widened-iam',
  'widened-network',
  'public-access',
  'weakened-encryption',
  'weakened-monitoring',
  'code-execution',
  'external-read',
  'backend-or-provider',
  'secret-in-diff',
  'too-large',
];

/** Real files to mutate, so that much of the generated text still parses and reaches every check. */
const SEEDS = ['ec2-open-ingress', 's3-tls-only', 'lambda-no-public-access', 'iam-no-admin-policy'].flatMap((id) =>
  caseFiles(id).filter((c) => c.role === 'input'),
);

/** Fragments that mean something to one check or another. */
const FRAGMENTS = fc.constantFrom(
  '0.0.0.0/0',
  '"*"',
  '*',
  '::/0',
  'provisioner "local-exec" {}',
  '{',
  '}',
  '[',
  ']',
  '"',
  '\n',
  '!Ref',
  'Statement',
  'count = ',
  '${',
  '<<EOF\n',
  'Principal: "*"',
  'Action: "*"',
  '\0',
  '- ',
  ': ',
);

const mutated = fc
  .tuple(fc.constantFrom(...SEEDS), fc.nat(), fc.nat(), fc.array(fc.oneof(FRAGMENTS, fc.string()), { maxLength: 4 }))
  .map(([seed, a, b, inserts]) => {
    const start = a % (seed.text.length + 1);
    const end = Math.min(seed.text.length, start + (b % 40));
    return { seed, after: `${seed.text.slice(0, start)}${inserts.join('')}${seed.text.slice(end)}` };
  });

async function verdict(input: GuardrailInput): Promise<void> {
  const violations = await checkPatch(input);
  for (const v of violations) {
    expect(RULES).toContain(v.rule);
    expectPlaced(v);
  }
}

describe('checkPatch: properties', () => {
  it.each(['terraform', 'cloudformation'] as const)('never throws when the %s after text is arbitrary', async (kind) => {
    const path = kind === 'terraform' ? 'main.tf' : 'template.yaml';
    const before = SEEDS.find((s) => s.kind === kind)?.text;
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (after) =>
        verdict({ kind, allowedFiles: [path], files: [{ path, before, after }] }),
      ),
      { numRuns: 60 },
    );
  });

  it('never throws when a real file is mutated', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async ({ seed, after }) =>
        verdict({ kind: seed.kind, allowedFiles: [seed.file], files: [{ path: seed.file, before: seed.text, after }] }),
      ),
      { numRuns: 150 },
    );
  });

  it('never throws when paths are arbitrary', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ maxLength: 80 }), async (path, after) =>
        verdict({ kind: 'terraform', allowedFiles: [path], files: [{ path, before: undefined, after }] }),
      ),
      { numRuns: 60 },
    );
  });
});
