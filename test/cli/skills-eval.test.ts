import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { skillDir } from '../../src/skills/registry.js';

const ROOT = join(import.meta.dirname, '../..');

async function run(argv: string[], cwd = ROOT) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {} });
  return { code, stdout, stderr };
}

describe('cloudmend skills', () => {
  it('lists every skill with its controls as JSON', async () => {
    const { code, stdout } = await run(['skills', '--json']);
    expect(code).toBe(0);
    const { skills } = JSON.parse(stdout) as { skills: { id: string; controls: string[]; iac: string[] }[] };
    expect(skills.find((s) => s.id === 's3-block-public-access')).toMatchObject({
      controls: ['S3.1', 'S3.8'],
      iac: ['terraform', 'cloudformation'],
      fixable: 'code',
      risk: 'access-change',
    });
  });
});

describe('cloudmend eval', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloudmend-eval-'));
    const cases = join(skillDir('s3-block-public-access'), 'cases');
    writeFileSync(join(dir, 'off.yaml'), 'version: 1\nvalidators:\n  terraform: { mode: off }\n  cfnLint: { mode: off }\n');
    writeFileSync(
      join(dir, 'cases.json'),
      JSON.stringify({
        cases: [
          {
            id: 'tf',
            control: 'S3.8',
            iac: 'terraform',
            vulnerable: [join(cases, 'block-settings-off.input.tf'), join(cases, 'bucket-without-block.input.tf')],
            compliant: [join(cases, 'pinned.valid.tf')],
          },
          {
            id: 'cfn',
            control: 'S3.8',
            iac: 'cloudformation',
            vulnerable: [join(cases, 'settings-off.input.json')],
            compliant: [join(cases, 'all-on.valid.yaml'), 'missing.yaml'],
          },
          { id: 'none', control: 'Made.1', iac: 'terraform', vulnerable: ['x.tf'], compliant: [] },
        ],
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports recall, false positives and verified fixes per control, and what it does not cover', async () => {
    const { code, stdout } = await run(['eval', '--cases', 'cases.json', '--config', 'off.yaml', '--json'], dir);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { controls: Record<string, unknown>[]; uncovered: unknown[] };
    expect(report.controls).toEqual([
      expect.objectContaining({
        control: 'S3.8',
        iac: 'terraform',
        skills: ['s3-block-public-access'],
        vulnerable: 2,
        detected: 2,
        compliant: 1,
        flagged: 0,
        fixed: 2,
        verified: 2,
        validatorRuns: 0,
      }),
      expect.objectContaining({
        control: 'S3.8',
        iac: 'cloudformation',
        vulnerable: 1,
        detected: 1,
        compliant: 2,
        flagged: 0,
        fixed: 1,
        verified: 1,
        unreadable: 1,
      }),
    ]);
    expect(report.uncovered).toEqual([{ control: 'Made.1', iac: 'terraform', files: 1 }]);
  });

  it('prints a table with a total row', async () => {
    const { stdout } = await run(['eval', '--cases', 'cases.json', '--config', 'off.yaml'], dir);
    expect(stdout).toMatch(/^control\s+iac\s+vuln\s+detected\s+recall/);
    expect(stdout).toMatch(/\ntotal\s+3\s+3\s+100%\s+3\s+0\s+0%\s+3\s+3 \(100%\)/);
    expect(stdout).toContain('not covered by a skill: Made.1 (terraform, 1 files)');
  });

  it('refuses a file that is not a cases file, with exit 2', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"cases": [{"id": 1}]}');
    const { code, stderr } = await run(['eval', '--cases', 'bad.json', '--config', 'off.yaml'], dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.json is not a cases file: cases\[0\]\.id: /);
  });
});
