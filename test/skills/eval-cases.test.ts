/** eval/cases.json is what scripts/write-eval-cases.ts writes now, and covers every claimed control. */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASES_FILE, EVAL_DIR, evalCorpus, missingCoverage, type EvalCase } from '../../scripts/eval-cases.js';

const written = JSON.parse(readFileSync(CASES_FILE, 'utf8')) as { cases: EvalCase[] };
const REGENERATE = 'npx tsx scripts/write-eval-cases.ts';

describe('eval corpus (eval/cases.json)', () => {
  it(`is up to date with the maps, the vendored samples and the skills (else: ${REGENERATE})`, async () => {
    const { document, files } = await evalCorpus();
    expect(written).toEqual(JSON.parse(JSON.stringify(document)));
    for (const [path, text] of files) {
      expect(existsSync(path) ? readFileSync(path, 'utf8') : undefined, `${relative(EVAL_DIR, path)} (${REGENERATE})`).toBe(text);
    }
  });

  it('has vulnerable and compliant cases for every claimed control and IaC kind', async () => {
    expect(await missingCoverage(written.cases)).toEqual([]);
  });

  it('names what is missing', async () => {
    const cases = written.cases.map((c) => (c.control === 'S3.5' && c.iac === 'terraform' ? { ...c, compliant: [] } : c));
    expect(await missingCoverage(cases)).toEqual(['S3.5 terraform: no compliant case']);
  });

  it('labels each case with its source', () => {
    for (const c of written.cases) expect(c.id).toMatch(/^(kics|checkov|skill)\//);
  });
});
