import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../src/guardrails/index.js';
import { edit, expectVerdict, type Row } from './judge.js';

const SETTINGS = `terraform {
  required_version = ">= 1.6"

  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "web/terraform.tfstate"
    region = "us-east-1"
  }

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
`;

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  Owner: platform
Mappings:
  Regions:
    us-east-1: { Ami: ami-0123456789abcdef0 }
Resources:
  Bucket:
    Type: AWS::S3::Bucket
`;

const violations: Row[] = [
  {
    name: 'the backend changes',
    kind: 'terraform',
    before: SETTINGS,
    after: edit(SETTINGS, 'acme-terraform-state', 'someone-elses-state'),
    expected: [['backend-or-provider', 'main.tf: the patch changes the terraform block']],
  },
  {
    name: 'a provider version constraint changes',
    kind: 'terraform',
    before: SETTINGS,
    after: edit(SETTINGS, '"~> 5.0"', '">= 4.0"'),
    expected: [['backend-or-provider', 'changes the terraform block']],
  },
  {
    name: 'the provider configuration changes',
    kind: 'terraform',
    before: SETTINGS,
    after: edit(
      SETTINGS,
      'region = "us-east-1"\n}',
      'region = "us-east-1"\n  assume_role {\n    role_arn = "arn:aws:iam::999999999999:role/admin"\n  }\n}',
    ),
    expected: [['backend-or-provider', 'the patch changes the provider "aws" block']],
  },
  {
    name: 'a provider is added',
    kind: 'terraform',
    before: SETTINGS,
    after: `${SETTINGS}\nprovider "aws" {\n  alias  = "west"\n  region = "us-west-2"\n}\n`,
    expected: [['backend-or-provider', 'changes the provider "aws" block']],
  },
  {
    name: 'a terraform block is added',
    kind: 'terraform',
    before: 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n',
    after: 'terraform {\n  backend "local" {}\n}\n\nresource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n',
    expected: [['backend-or-provider', 'the patch adds the terraform block']],
  },
  {
    name: 'an import block takes over a bucket',
    kind: 'terraform',
    before: SETTINGS,
    after: `${SETTINGS}\nimport {\n  to = aws_s3_bucket.logs\n  id = "someone-elses-bucket"\n}\n`,
    expected: [['backend-or-provider', "main.tf: the patch adds the import block: what the state manages is not a fix's to change"]],
  },
  {
    name: 'a removed block forgets a bucket',
    kind: 'terraform',
    before: SETTINGS,
    after: `${edit(SETTINGS, 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n', '')}removed {\n  from = aws_s3_bucket.logs\n\n  lifecycle {\n    destroy = false\n  }\n}\n`,
    expected: [
      ['removed-resource', 'aws_s3_bucket.logs is removed'],
      ['backend-or-provider', 'the patch adds the removed block'],
    ],
  },
  {
    name: 'AWSTemplateFormatVersion (YAML) changes',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: edit(TEMPLATE, "'2010-09-09'", "'2010-09-10'"),
    expected: [['backend-or-provider', 'template.yaml: AWSTemplateFormatVersion changes from "2010-09-09" to "2010-09-10"']],
  },
  {
    name: 'AWSTemplateFormatVersion (JSON) is added',
    kind: 'cloudformation',
    before: '{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}',
    after: '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket"}}}',
    expected: [['backend-or-provider', 'template.json: AWSTemplateFormatVersion changes from none to "2010-09-09"']],
  },
];

const allowed: Row[] = [
  {
    name: 'only the resources change',
    kind: 'terraform',
    before: SETTINGS,
    after: edit(SETTINGS, 'bucket = "acme-logs"', 'bucket        = "acme-logs"\n  force_destroy = false'),
    expected: [],
  },
  {
    name: 'a terraform block is only re-indented',
    kind: 'terraform',
    before: SETTINGS,
    after: edit(SETTINGS, '  required_version = ">= 1.6"\n', '  required_version   =   ">= 1.6"\n'),
    expected: [],
  },
  {
    name: 'Metadata and Mappings (YAML) change',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: edit(edit(TEMPLATE, 'Owner: platform', 'Owner: security'), 'ami-0123456789abcdef0', 'ami-0fedcba9876543210'),
    expected: [],
  },
];

describe('checkPatch: backend-or-provider', () => {
  it.each(violations)('reports it when $name', expectVerdict);
  it.each(allowed)('lets the patch pass when $name', expectVerdict);

  it('reports a touched lock file, which is outside the target too', async () => {
    const files = [
      { path: 'infra/main.tf', before: SETTINGS, after: SETTINGS },
      { path: 'infra/.terraform.lock.hcl', before: '# lock\n', after: '# lock, updated\n' },
    ];
    const violations = await checkPatch({ kind: 'terraform', allowedFiles: ['infra/main.tf'], files });
    expect(violations.map((v) => [v.rule, v.file])).toEqual([
      ['outside-target', 'infra/.terraform.lock.hcl'],
      ['backend-or-provider', 'infra/.terraform.lock.hcl'],
    ]);
    expect(violations[1]?.message).toBe(
      "infra/.terraform.lock.hcl: the dependency lock file changes: provider versions and checksums are not a fix's to change",
    );
  });
});
