/** `cloudmend eval` summaries over any subset of the files, so a report can tell case sources apart. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, summarize } from '../../src/skills/eval.js';
import { DEFAULT_SKILL_OPTIONS } from '../../src/skills/types.js';

const key = (enabled: boolean): string => `resource "aws_kms_key" "k" {\n  enable_key_rotation = ${enabled}\n}\n`;

describe('eval summaries', () => {
  it('summarize counts only the files it is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudmend-eval-'));
    writeFileSync(join(dir, 'off.tf'), key(false));
    writeFileSync(join(dir, 'on.tf'), key(true));
    const cases = [
      { id: 'kics/terraform/q:KMS.4', control: 'KMS.4', iac: 'terraform', vulnerable: ['off.tf', 'off.tf'], compliant: [] },
      { id: 'skill/kms-key-rotation:KMS.4', control: 'KMS.4', iac: 'terraform', vulnerable: ['off.tf'], compliant: ['on.tf'] },
    ];
    writeFileSync(join(dir, 'cases.json'), JSON.stringify({ cases }));
    const report = await evaluate(join(dir, 'cases.json'), {
      options: DEFAULT_SKILL_OPTIONS,
      validators: { terraform: undefined, cloudformation: undefined },
    });
    const skills = new Map(report.controls.map((r) => [`${r.control}|${r.iac}`, r.skills]));
    const [external] = summarize(
      report.files.filter((f) => f.caseId.startsWith('kics/')),
      skills,
    );
    const [own] = summarize(
      report.files.filter((f) => f.caseId.startsWith('skill/')),
      skills,
    );
    expect(report.controls[0]).toMatchObject({ vulnerable: 3, detected: 3, compliant: 1, fixed: 3, verified: 3 });
    expect(external).toMatchObject({ control: 'KMS.4', skills: ['kms-key-rotation'], vulnerable: 2, detected: 2, compliant: 0, fixed: 2 });
    expect(own).toMatchObject({ vulnerable: 1, detected: 1, compliant: 1, flagged: 0, fixed: 1, verified: 1 });
  });
});
