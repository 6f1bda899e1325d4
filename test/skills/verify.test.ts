import { describe, expect, it } from 'vitest';
import type { Validator, ValidatorResult } from '../../src/iac/validators/result.js';
import { fix } from '../../src/skills/engine.js';
import openIngress from '../../src/skills/ec2-open-ingress/index.js';
import rdsNotPublic from '../../src/skills/rds-not-public/index.js';
import skill from '../../src/skills/s3-block-public-access/index.js';
import { DEFAULT_SKILL_OPTIONS, type IacKind } from '../../src/skills/types.js';
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
      remaining: [],
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

/** cfngoat's web group: port 8888 open in the rule, port 22 open through a parameter's default. */
const CFN_GROUP = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  SSHLocation:
    Type: String
    Default: 0.0.0.0/0
Resources:
  WebGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 8888
          ToPort: 8888
          CidrIp: 0.0.0.0/0
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !Ref SSHLocation
`;

/** The same in Terraform: one rule open in place, one through a variable's default, one through a variable without default. */
const TF_GROUP = `variable "ssh_cidrs" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}

variable "admin_cidr" {
  type = string
}

resource "aws_security_group" "web" {
  name = "web"

  ingress {
    from_port   = 8888
    to_port     = 8888
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.ssh_cidrs
  }

  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}
`;

describe('a fix that leaves what only a person can fix', () => {
  const options = { ...DEFAULT_SKILL_OPTIONS, allowedIngressCidrs: ['10.0.0.0/8'] };
  async function fixAndVerify(kind: IacKind, path: string, text: string, focus: string) {
    const before = [{ path, text }];
    const fixed = await fix(openIngress, kind, before, options, focus);
    const after = [{ path, text: fixed.files.get(path) ?? text }];
    return { fixed, verification: await verifyFix({ skill: openIngress, kind, before, after, options, focus }) };
  }

  it('is partial, never clean, while a CloudFormation parameter default keeps a port open (cfngoat)', async () => {
    const { fixed, verification } = await fixAndVerify('cloudformation', 'sg.yaml', CFN_GROUP, 'WebGroup');

    expect(fixed.notes).toEqual(['Narrowed WebGroup SecurityGroupIngress #1 (TCP 8888) from 0.0.0.0/0 to 10.0.0.0/8.']);
    expect(verification.passed).toBe(true);
    expect(verification.remaining).toEqual([
      expect.stringMatching(
        /^WebGroup SecurityGroupIngress #2 allows 0\.0\.0\.0\/0 on TCP 22, .*comes from !Ref SSHLocation, which is 0\.0\.0\.0\/0 when/,
      ),
    ]);
    expect(verification.checks.find((c) => c.name === 'detect-clean')).toMatchObject({
      status: 'partial',
      detail: expect.stringMatching(
        /^partial: 1 violation\(s\) remain that ec2-open-ingress cannot fix, only a person can decide: WebGroup/,
      ) as unknown,
    });
  });

  it('is partial while a Terraform variable default or a variable without default keeps a port open', async () => {
    const { fixed, verification } = await fixAndVerify('terraform', 'sg.tf', TF_GROUP, 'aws_security_group.web');

    expect(fixed.notes).toEqual(['Narrowed aws_security_group.web ingress #1 (TCP 8888) from 0.0.0.0/0 to 10.0.0.0/8.']);
    expect(verification.checks.find((c) => c.name === 'detect-clean')?.status).toBe('partial');
    expect(verification.remaining).toEqual([
      expect.stringMatching(/^aws_security_group\.web ingress #2 allows 0\.0\.0\.0\/0 on TCP 22, .* come from var\.ssh_cidrs/),
      expect.stringMatching(
        /^aws_security_group\.web ingress #3 allows TCP 3389 from \[var\.admin_cidr\], which cloudmend cannot evaluate/,
      ),
    ]);
  });

  it('still leaves a parameter with a closed default for a person: it can be overridden at deploy', async () => {
    const closed = CFN_GROUP.replace('Default: 0.0.0.0/0', 'Default: 10.0.0.0/8');
    const { verification } = await fixAndVerify('cloudformation', 'sg.yaml', closed, 'WebGroup');

    expect(verification.remaining).toEqual([
      expect.stringContaining('from !Ref SSHLocation (10.0.0.0/8 unless overridden at deploy), which cloudmend cannot evaluate'),
    ]);
  });

  it('reads a boolean setting through its parameter default: a wrong one is left for a person, never overwritten', async () => {
    const template = (def: string) =>
      `Parameters:\n  Public:\n    Type: String\n    AllowedValues: ['true', 'false']\n    Default: '${def}'\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      PubliclyAccessible: !Ref Public\n`;
    const files = (def: string) => [{ path: 'db.yaml', text: template(def) }];
    const wrong = await fix(rdsNotPublic, 'cloudformation', files('true'), options, 'Db');
    const right = await fix(rdsNotPublic, 'cloudformation', files('false'), options, 'Db');

    expect(wrong.files.size).toBe(0);
    expect(wrong.violations).toEqual([
      expect.objectContaining({
        messageId: 'settingWrong',
        fixable: false,
        data: {
          setting: 'PubliclyAccessible',
          value: 'true (through {"Ref":"Public"} as the stack deploys without overriding its parameters: only a person can change it)',
        },
      }),
    ]);
    expect(right.violations).toEqual([
      expect.objectContaining({
        messageId: 'settingUnknown',
        data: { setting: 'PubliclyAccessible', expr: '{"Ref":"Public"}, false unless overridden at deploy' },
      }),
    ]);
  });

  it('reports a rule whose ports and sources are both unknown (a module input), never ignores it', async () => {
    const text = `variable "port" {\n  type = number\n}\n\nvariable "sources" {\n  type = list(string)\n}\n\nresource "aws_security_group_rule" "app" {\n  type              = "ingress"\n  security_group_id = "sg-0a1b2c3d4e5f60718"\n  from_port         = var.port\n  to_port           = var.port\n  protocol          = "tcp"\n  cidr_blocks       = var.sources\n}\n`;
    const { fixed } = await fixAndVerify('terraform', 'app.tf', text, 'aws_security_group_rule.app');

    expect(fixed.violations).toEqual([
      expect.objectContaining({
        messageId: 'unknownSource',
        fixable: false,
        data: expect.objectContaining({ expr: 'var.sources' }) as unknown,
      }),
    ]);
  });

  it('is clean once nothing is left on the resource', async () => {
    const closed = CFN_GROUP.replace('CidrIp: !Ref SSHLocation', 'CidrIp: 10.0.0.0/8');
    const { verification } = await fixAndVerify('cloudformation', 'sg.yaml', closed, 'WebGroup');

    expect(verification.remaining).toEqual([]);
    expect(verification.checks.find((c) => c.name === 'detect-clean')?.status).toBe('passed');
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
