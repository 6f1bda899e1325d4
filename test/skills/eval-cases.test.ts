/** eval/cases.json is what scripts/write-eval-cases.ts writes now, and covers every claimed control. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CASES_FILE, evalCasesDocument, missingCoverage, type EvalCase } from '../../scripts/eval-cases.js';

const written = JSON.parse(readFileSync(CASES_FILE, 'utf8')) as { cases: EvalCase[] };

describe('eval corpus (eval/cases.json)', () => {
  it('is up to date with eval/kics-map.json and the skills (else: npx tsx scripts/write-eval-cases.ts)', async () => {
    expect(written).toEqual(JSON.parse(JSON.stringify(await evalCasesDocument())));
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
