import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../src/guardrails/index.js';
import { edit, expectVerdict, type Row } from './judge.js';

const MODULE = `data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_instance" "web" {
  count         = 2
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}

resource "aws_sqs_queue" "jobs" {
  for_each = toset(["high", "low"])
  name     = "jobs-\${each.key}"
}

module "network" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"
}
`;

const TEMPLATE = `Conditions:
  IsProd: !Equals [!Ref 'AWS::AccountId', '111122223333']
Resources:
  Logs:
    Type: AWS::S3::Bucket
  Queue:
    Type: AWS::SQS::Queue
`;

const JSON_TEMPLATE = '{\n  "Resources": {\n    "Logs": {"Type": "AWS::S3::Bucket"},\n    "Queue": {"Type": "AWS::SQS::Queue"}\n  }\n}\n';

const LOGS = 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n';

const violations: Row[] = [
  {
    name: 'a resource is deleted',
    kind: 'terraform',
    before: MODULE,
    after: edit(MODULE, LOGS, ''),
    expected: [['removed-resource', 'main.tf: aws_s3_bucket.logs is removed: applying the patch destroys it']],
  },
  {
    name: 'a module call is deleted',
    kind: 'terraform',
    before: MODULE,
    after: MODULE.slice(0, MODULE.indexOf('module "network"')),
    expected: [['removed-resource', 'module.network is removed']],
  },
  {
    name: 'a resource is renamed without a moved block',
    kind: 'terraform',
    before: MODULE,
    after: edit(MODULE, '"aws_s3_bucket" "logs"', '"aws_s3_bucket" "access_logs"'),
    expected: [['removed-resource', 'aws_s3_bucket.logs is removed']],
  },
  {
    name: 'count goes down',
    kind: 'terraform',
    before: MODULE,
    after: edit(MODULE, 'count         = 2', 'count         = 1'),
    expected: [['removed-resource', 'aws_instance.web drops instance 1 (count 2 → 1): applying the patch can destroy them']],
  },
  {
    name: 'count becomes a variable',
    kind: 'terraform',
    before: MODULE,
    after: edit(MODULE, 'count         = 2', 'count         = var.web_count'),
    expected: [
      [
        'removed-resource',
        'aws_instance.web can no longer be shown to keep every instance it has (count 2 → (a value cloudmend cannot evaluate: var.web_count is not declared))',
      ],
    ],
  },
  {
    name: 'for_each loses a key',
    kind: 'terraform',
    before: MODULE,
    after: edit(MODULE, 'toset(["high", "low"])', '["high"]'),
    expected: [['removed-resource', 'aws_sqs_queue.jobs drops instance low (for_each ["high","low"] → ["high"])']],
  },
  {
    name: 'a resource gains for_each',
    kind: 'terraform',
    before: MODULE,
    after: edit(MODULE, 'bucket = "acme-logs"', 'for_each = toset(["a"])\n  bucket   = "acme-logs-${each.key}"'),
    expected: [
      ['removed-resource', 'aws_s3_bucket.logs can no longer be shown to keep every instance it has (for_each absent → ["a"])'],
      ['replacement', 'aws_s3_bucket.logs changes bucket ("acme-logs" → "acme-logs-a")'],
    ],
  },
  {
    name: 'a resource (YAML) is deleted',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: edit(TEMPLATE, '  Queue:\n    Type: AWS::SQS::Queue\n', ''),
    expected: [['removed-resource', 'template.yaml: Queue is removed: updating the stack deletes it']],
  },
  {
    name: 'a resource (JSON) is deleted',
    kind: 'cloudformation',
    before: JSON_TEMPLATE,
    after: edit(JSON_TEMPLATE, ',\n    "Queue": {"Type": "AWS::SQS::Queue"}', ''),
    expected: [['removed-resource', 'template.json: Queue is removed']],
  },
  {
    name: 'a resource (YAML) changes Type',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: edit(TEMPLATE, 'AWS::SQS::Queue', 'AWS::SNS::Topic'),
    expected: [['removed-resource', 'Queue changes Type from AWS::SQS::Queue to AWS::SNS::Topic: updating the stack replaces it']],
  },
  {
    name: 'a resource (YAML) gets a Condition',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: edit(TEMPLATE, '    Type: AWS::SQS::Queue\n', '    Type: AWS::SQS::Queue\n    Condition: IsProd\n'),
    expected: [['removed-resource', 'Queue gets Condition IsProd: every deployment where it is false deletes it']],
  },
];

const allowed: Row[] = [
  {
    name: 'a data source is deleted (it holds nothing a destroy would lose)',
    kind: 'terraform',
    before: MODULE,
    after: edit(MODULE, 'data "aws_caller_identity" "current" {}\n', ''),
    expected: [],
  },
  {
    name: 'a resource is added',
    kind: 'terraform',
    before: MODULE,
    after: `${MODULE}\nresource "aws_sns_topic" "alerts" {\n  name = "alerts"\n}\n`,
    expected: [],
  },
  { name: 'an attribute changes', kind: 'terraform', before: MODULE, after: edit(MODULE, 't3.micro', 't3.small'), expected: [] },
  {
    name: 'a resource is renamed with a moved block',
    kind: 'terraform',
    before: MODULE,
    after: `${edit(MODULE, '"aws_s3_bucket" "logs"', '"aws_s3_bucket" "access_logs"')}\nmoved {\n  from = aws_s3_bucket.logs\n  to   = aws_s3_bucket.access_logs\n}\n`,
    expected: [],
  },
  { name: 'count goes up', kind: 'terraform', before: MODULE, after: edit(MODULE, 'count         = 2', 'count         = 3'), expected: [] },
  {
    name: 'for_each gains a key',
    kind: 'terraform',
    before: MODULE,
    after: edit(MODULE, 'toset(["high", "low"])', 'toset(["high", "low", "bulk"])'),
    expected: [],
  },
  {
    name: 'count = 1 is added to a single resource',
    kind: 'terraform',
    before: MODULE,
    after: edit(MODULE, 'bucket = "acme-logs"', 'count  = 1\n  bucket = "acme-logs"'),
    expected: [],
  },
  {
    name: 'a resource (YAML) gets properties',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: edit(TEMPLATE, '    Type: AWS::SQS::Queue\n', '    Type: AWS::SQS::Queue\n    Properties:\n      SqsManagedSseEnabled: true\n'),
    expected: [],
  },
  {
    name: 'a resource (YAML) loses its Condition',
    kind: 'cloudformation',
    before: edit(TEMPLATE, '    Type: AWS::SQS::Queue\n', '    Type: AWS::SQS::Queue\n    Condition: IsProd\n'),
    after: TEMPLATE,
    expected: [],
  },
];

describe('checkPatch: removed-resource', () => {
  it.each(violations)('reports it when $name', expectVerdict);
  it.each(allowed)('lets the patch pass when $name', expectVerdict);

  it('lets the patch pass when a resource moves to another file of the module', async () => {
    const files = [
      { path: 'infra/main.tf', before: MODULE, after: edit(MODULE, LOGS, '') },
      { path: 'infra/s3.tf', before: '', after: LOGS },
    ];
    await expect(checkPatch({ kind: 'terraform', allowedFiles: ['infra/main.tf', 'infra/s3.tf'], files })).resolves.toEqual([]);
  });
});
