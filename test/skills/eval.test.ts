/** `cloudmend eval`: files at once with each validation done once, and summaries over any subset of the files (a report tells case sources apart). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Validator } from '../../src/iac/validators/result.js';
import { evaluate, summarize } from '../../src/skills/eval.js';
import { DEFAULT_SKILL_OPTIONS } from '../../src/skills/types.js';

const key = (enabled: boolean): string => `resource "aws_kms_key" "k" {\n  enable_key_rotation = ${enabled}\n}\n`;

function corpus(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloudmend-eval-'));
  writeFileSync(join(dir, 'off.tf'), key(false));
  writeFileSync(join(dir, 'on.tf'), key(true));
  const cases = [
    { id: 'kics/terraform/q:KMS.4', control: 'KMS.4', iac: 'terraform', vulnerable: ['off.tf', 'off.tf'], compliant: [] },
    { id: 'skill/kms-key-rotation:KMS.4', control: 'KMS.4', iac: 'terraform', vulnerable: ['off.tf'], compliant: ['on.tf'] },
  ];
  writeFileSync(join(dir, 'cases.json'), JSON.stringify({ cases }));
  return join(dir, 'cases.json');
}

describe('eval', () => {
  it("runs files at once, keeps the cases' order and validates the same files once", async () => {
    const validated: string[] = [];
    const terraform: Validator = {
      tool: 'terraform-validate',
      validate: (files) => {
        validated.push(files.map((f) => f.text).join());
        return Promise.resolve({ tool: 'terraform-validate', status: 'passed', problems: [], detail: 'ok' });
      },
    };
    const report = await evaluate(corpus(), {
      options: DEFAULT_SKILL_OPTIONS,
      validators: { terraform, cloudformation: undefined },
      concurrency: 3,
    });
    expect(report.files.map((f) => `${f.caseId} ${f.file}`)).toEqual([
      'kics/terraform/q:KMS.4 off.tf',
      'kics/terraform/q:KMS.4 off.tf',
      'skill/kms-key-rotation:KMS.4 off.tf',
      'skill/kms-key-rotation:KMS.4 on.tf',
    ]);
    expect(report.controls[0]).toMatchObject({ fixed: 3, verified: 3, validatorRuns: 3, validatorClean: 3 });
    expect(validated.length).toBe(new Set(validated).size);
  });

  it('summarize counts only the files it is given', async () => {
    const report = await evaluate(corpus(), {
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
