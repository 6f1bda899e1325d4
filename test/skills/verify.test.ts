import { describe, expect, it } from 'vitest';
import type { Validator, ValidatorResult } from '../../src/iac/validators/result.js';
import skill from '../../src/skills/s3-block-public-access/index.js';
import { DEFAULT_SKILL_OPTIONS } from '../../src/skills/types.js';
import { validatorCheck, verifyFix } from '../../src/skills/verify.js';

const BEFORE = 'resource "aws_s3_account_public_access_block" "a" {\n  block_public_acls = false\n}\n';
const AFTER =
  'resource "aws_s3_account_public_access_block" "a" {\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n';

function fakeValidator(results: (text: string) => Partial<ValidatorResult>): Validator {
  return {
    tool: 'terraform-validate',
    validate: (files) =>
      Promise.resolve({ tool: 'terraform-validate', status: 'passed', problems: [], detail: 'fake', ...results(files[0]?.text ?? '') }),
  };
}

function verify(after: string, validator?: Validator) {
  return verifyFix({
    skill,
    kind: 'terraform',
    before: [{ path: 'a.tf', text: BEFORE }],
    after: [{ path: 'a.tf', text: after }],
    options: DEFAULT_SKILL_OPTIONS,
    validator,
  });
}

describe('fix verification', () => {
  it('passes a correct fix, with each check named', async () => {
    const v = await verify(
      AFTER,
      fakeValidator(() => ({})),
    );
    expect(v).toEqual({
      passed: true,
      checks: [
        { name: 'parses', status: 'passed', detail: 'HCL parses (hcl2json)' },
        { name: 'detect-clean', status: 'passed', detail: 's3-block-public-access finds nothing left to fix' },
        { name: 'idempotent', status: 'passed', detail: 'fixing again changes nothing' },
        { name: 'terraform-validate', status: 'passed', detail: 'fake' },
      ],
    });
  });

  it('fails output that no longer parses, and says where', async () => {
    const v = await verify('resource "x" {\n');
    expect(v.passed).toBe(false);
    expect(v.checks).toEqual([{ name: 'parses', status: 'failed', detail: expect.stringMatching(/^a\.tf:\d+:\d+: /) as unknown }]);
  });

  it('fails output that still violates', async () => {
    const v = await verify(BEFORE);
    expect(v.checks.find((c) => c.name === 'detect-clean')).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/still finds settingOff/) as unknown,
    });
  });

  it('blames the fix only for validator problems it introduced', async () => {
    const preExisting = await verify(
      AFTER,
      fakeValidator(() => ({ status: 'failed', problems: [{ key: 'undeclared in a', message: 'Reference to undeclared resource' }] })),
    );
    expect(preExisting).toMatchObject({ passed: true, checks: [{}, {}, {}, { status: 'unchanged' }] });
    const introduced = await verify(
      AFTER,
      fakeValidator((text) =>
        text === AFTER ? { status: 'failed', problems: [{ key: 'unsupported in a', message: 'Unsupported argument' }] } : {},
      ),
    );
    expect(introduced).toMatchObject({
      passed: false,
      checks: [{}, {}, {}, { status: 'failed', detail: 'the fix introduced: Unsupported argument' }],
    });
  });

  it('treats a validator that could not run as skipped, not failed', async () => {
    expect(
      await verify(
        AFTER,
        fakeValidator(() => ({ status: 'skipped', detail: 'terraform not found' })),
      ),
    ).toMatchObject({ passed: true, checks: [{}, {}, {}, { status: 'skipped' }] });
  });

  it('leaves the validator check to the caller when given no validator (the workflow runs it in the sandbox)', async () => {
    expect((await verify(AFTER)).checks.map((c) => c.name)).toEqual(['parses', 'detect-clean', 'idempotent']);
  });
});

describe('the validator check on module sources it refused', () => {
  const REGISTRY = 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n';
  const refusing = fakeValidator((text) =>
    text.includes('module "vpc"')
      ? { status: 'skipped', detail: 'not run', refused: ['module "vpc" (source "terraform-aws-modules/vpc/aws")'] }
      : {},
  );
  const check = (before: string, after: string) =>
    validatorCheck(refusing, { kind: 'terraform', before: [{ path: 'a.tf', text: before }], after: [{ path: 'a.tf', text: after }] });

  it('fails when the patch adds the module', async () => {
    expect(await check(BEFORE, BEFORE + REGISTRY)).toEqual({
      name: 'terraform-validate',
      status: 'failed',
      detail: expect.stringMatching(
        /^the patch adds module "vpc" \(source "terraform-aws-modules\/vpc\/aws"\): only local module sources/,
      ) as unknown,
    });
  });

  it('skips when the code already had it: the repository uses registry modules', async () => {
    expect(await check(BEFORE + REGISTRY, AFTER + REGISTRY)).toEqual({ name: 'terraform-validate', status: 'skipped', detail: 'not run' });
  });
});
