import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cfnLintValidator } from '../../src/iac/validators/cfn-lint.js';
import { runTool } from '../../src/iac/validators/run-tool.js';
import { terraformValidator } from '../../src/iac/validators/terraform.js';

const PLUGIN_DIR = process.env.CLOUDMEND_TERRAFORM_PLUGIN_DIR ?? (existsSync('/opt/tf-plugins') ? '/opt/tf-plugins' : undefined);
const terraformPresent = !(await runTool('terraform', ['version'], { timeoutMs: 20_000 })).missing;
const cfnLintPresent = !(await runTool('cfn-lint', ['--version'], { timeoutMs: 30_000 })).missing;
const terraformSkip = !terraformPresent ? 'terraform is not installed' : PLUGIN_DIR === undefined ? 'no provider mirror (set CLOUDMEND_TERRAFORM_PLUGIN_DIR)' : undefined;
if (terraformSkip) console.log(`skipping terraform validate tests: ${terraformSkip}`);
if (!cfnLintPresent) console.log('skipping cfn-lint tests: cfn-lint is not installed');

describe('terraform validator', () => {
  it('skips with the reason when terraform is not installed', async () => {
    const v = await terraformValidator({ mode: 'auto', binary: 'no-such-terraform-binary' });
    expect(await v.validate([{ path: 'main.tf', text: '' }])).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/terraform not found/) as unknown });
  });

  it.skipIf(!terraformPresent)('skips, saying how to enable it, when there is no provider mirror and it may not go online', async () => {
    const v = await terraformValidator({ mode: 'auto', env: { ...process.env, CLOUDMEND_TERRAFORM_PLUGIN_DIR: undefined } });
    expect(await v.validate([{ path: 'main.tf', text: '' }])).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/no provider mirror.*pluginDir.*mode: online/) as unknown });
  });

  it('skips when switched off', async () => {
    expect(await (await terraformValidator({ mode: 'off' })).validate([])).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/off/) as unknown });
  });

  describe.skipIf(terraformSkip !== undefined)('with terraform and a provider mirror', () => {
    it('passes valid code, names the errors of invalid code, and skips registry modules', async () => {
      const v = await terraformValidator({ mode: 'auto', pluginDir: PLUGIN_DIR });
      expect(await v.validate([{ path: 'main.tf', text: 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' }])).toMatchObject({ status: 'passed' });
      const bad = await v.validate([{ path: 'main.tf', text: 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  not_an_argument = 1\n}\n' }]);
      expect(bad).toMatchObject({ status: 'failed', problems: [{ key: expect.stringMatching(/^Unsupported argument: .* in resource "aws_s3_bucket" "b"$/) as unknown }] });
      const module = await v.validate([{ path: 'main.tf', text: 'module "m" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n}\n' }]);
      expect(module).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/registry or remote modules/) as unknown });
    }, 120_000);
  });
});

describe('cfn-lint validator', () => {
  it('skips with the reason when cfn-lint is not installed', async () => {
    const v = await cfnLintValidator({ mode: 'auto', env: { ...process.env, CLOUDMEND_CFN_LINT: 'no-such-cfn-lint' } });
    expect(await v.validate([])).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/cfn-lint not found/) as unknown });
  });

  it.skipIf(!cfnLintPresent)('passes a clean template and reports a bad property without line numbers', async () => {
    const v = await cfnLintValidator({ mode: 'auto' });
    expect(await v.validate([{ path: 't.yaml', text: 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n' }])).toMatchObject({ status: 'passed' });
    const bad = await v.validate([{ path: 't.yaml', text: 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      NotAProperty: 1\n' }]);
    expect(bad.status).toBe('failed');
    expect(bad.problems).toContainEqual({ key: 'E3002 Resources/B/Properties/NotAProperty', message: expect.stringMatching(/^E3002 .*NotAProperty/) as unknown });
  }, 60_000);
});
