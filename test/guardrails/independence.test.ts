/**
 * The guardrail judges the skills' patches, so it shares no code with them: it reads IaC through
 * `src/iac` (shared readers) and nothing under `src/skills`, directly or through `src/iac`. The
 * CDK apps' TypeScript it reads on its own: nothing from `src/iac/cdk`, which locates and edits it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/\b(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1] ?? '');
}

describe("the guardrail's independence", () => {
  it.each([
    ['guardrails', 'src/skills', /(^|\/)skills\//],
    ['iac', 'src/skills', /(^|\/)skills\//],
    ['guardrails', 'src/iac/cdk', /(^|\/)iac\/cdk\//],
  ])('src/%s imports nothing from %s', (folder, _, forbidden) => {
    const offending = sources(join(SRC, folder)).flatMap((file) =>
      importsOf(file)
        .filter((spec) => forbidden.test(spec))
        .map((spec) => `${relative(SRC, file)} → ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});
