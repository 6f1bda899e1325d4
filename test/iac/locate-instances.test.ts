/**
 * The locator on idioms the real repositories use and hand-written goats do not: instances of
 * `count` / `for_each` blocks, modules named by their calls, KMS keys known by id, CloudFormation
 * names from `!Sub` maps, `!Select`, the stack name and names CloudFormation generates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { evaluateString } from '../../src/iac/cloudformation/evaluate.js';
import { parseTemplate, propertyAt } from '../../src/iac/cloudformation/template.js';
import { locate, SOURCE_TAG_ADVICE, type LocateRepository } from '../../src/iac/locate.js';
import { ACCOUNT, asffFinding, importedEvent } from '../support/events.js';
import { writeTree } from '../support/tree.js';

const TERRAFORM: Readonly<Record<string, string>> = {
  'main.tf': `data "aws_caller_identity" "current" {}

locals {
  envs = toset(["dev", "prod"])
}

resource "aws_s3_bucket" "per_env" {
  for_each = local.envs
  bucket   = "acme-\${each.key}-assets"
}

resource "aws_s3_bucket" "shard" {
  count  = 2
  bucket = "acme-shard-\${count.index}"
}

variable "queues" {
  default = { orders = 30, billing = 60 }
}

variable "regions" {}

resource "aws_sqs_queue" "q" {
  for_each                   = var.queues
  name                       = "\${each.key}-queue"
  visibility_timeout_seconds = each.value
}

resource "aws_s3_bucket" "regional" {
  for_each = var.regions
  bucket   = "acme-\${each.key}-regional"
}

module "logs" {
  source = "./modules/bucket"
  name   = "\${data.aws_caller_identity.current.account_id}-logs"
}

module "media" {
  source = "./modules/bucket"
  name   = "acme-media"
}

module "team" {
  for_each = toset(["red", "blue"])
  source   = "./modules/bucket"
  name     = "acme-\${each.key}-team"
}

module "shared" {
  source    = "./modules/bucket"
  name      = "\${data.aws_caller_identity.current.account_id}-shared"
  providers = { aws = aws.other }
}

resource "aws_kms_key" "logs" {
  description = "\${data.aws_caller_identity.current.account_id} logs key"
}

resource "aws_kms_key" "data" {
  description = "data key"
}
`,
  'modules/bucket/main.tf': `variable "name" {}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}
`,
};

/** Names with values made up when the resources were created. */
const SHAPES: Readonly<Record<string, string>> = {
  'main.tf': `resource "random_id" "suffix" {
  byte_length = 4
}

resource "aws_s3_bucket" "uploads" {
  bucket = "acme-uploads-\${random_id.suffix.hex}"
}

resource "random_pet" "name" {}

resource "aws_s3_bucket" "anything" {
  bucket = random_pet.name.id
}

resource "aws_s3_bucket" "media" {
  bucket = "acme-media"
}

resource "aws_security_group" "web" {
  name_prefix = "web-"
}

resource "random_string" "lb" {
  length  = 4
  special = false
}

resource "aws_lb" "app" {
  name = trimsuffix(substr(replace(join("-", ["lb", random_string.lb.result, "Web_App"]), "/[^a-zA-Z0-9-]/", ""), 0, 32), "-")
}
`,
};

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: prod
  Zones:
    Type: CommaDelimitedList
    Default: "a,b,c"
  Tier:
    Type: String
    AllowedValues: [gold, silver]
Mappings:
  Names:
    prod:
      Suffix: live
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub
        - "\${AWS::StackName}-\${Env}-\${Zone}-data"
        - Zone: !Select [1, !Ref Zones]
  Archive:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ["-", [!Ref "AWS::AccountId", !Select [0, !Split [",", "x,y"]], archive]]
  Mapped:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub ["acme-\${S}", { S: !FindInMap [Names, !Ref Env, Suffix] }]
  Chosen:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !If [IsProd, acme-prod-chosen, acme-other-chosen]
  Tiered:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub acme-\${Tier}-tier
  Logs:
    Type: AWS::S3::Bucket
  Plain:
    Type: AWS::S3::Bucket
`;

let root: string;
let cfnRoot: string;
let shapesRoot: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cloudmend-instances-'));
  writeTree(root, TERRAFORM);
  shapesRoot = mkdtempSync(join(tmpdir(), 'cloudmend-shapes-'));
  writeTree(shapesRoot, SHAPES);
  cfnRoot = mkdtempSync(join(tmpdir(), 'cloudmend-cfn-names-'));
  writeTree(cfnRoot, {
    'sam.yaml':
      'Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: nodejs20.x\n',
    'app.yaml': TEMPLATE,
    'other/copy.yaml': TEMPLATE.replace(/ {2}Data:[\s\S]*?(?= {2}Plain:)/, ''),
  });
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(cfnRoot, { recursive: true, force: true });
  rmSync(shapesRoot, { recursive: true, force: true });
});

function finding(resource: Record<string, unknown>): Finding {
  const f = normalizeEvent(importedEvent([asffFinding({ Resources: [{ Partition: 'aws', Region: 'us-east-1', ...resource }] })]))
    .findings[0];
  if (!f) throw new Error('no finding');
  return f;
}

const bucket = (name: string, tags?: Record<string, string>): Finding =>
  finding({ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${name}`, ...(tags ? { Tags: tags } : {}) });
const tf = (): LocateRepository => ({ name: 'infra', root, iac: 'terraform' });
const shapes = (): LocateRepository => ({ name: 'shapes', root: shapesRoot, iac: 'terraform' });
const cfn = (): LocateRepository => ({ name: 'stacks', root: cfnRoot, iac: 'cloudformation' });

describe('count and for_each instances', () => {
  it.each([
    ['acme-prod-assets', 'aws_s3_bucket.per_env', '["prod"]', 2],
    ['acme-dev-assets', 'aws_s3_bucket.per_env', '["dev"]', 2],
    ['acme-shard-1', 'aws_s3_bucket.shard', '[1]', 2],
  ])('locates %s to one instance of %s: %s of %i', async (name, address, instance, instances) => {
    const result = await locate(bucket(name), tf());
    expect(result).toMatchObject({ found: true, target: { file: 'main.tf', address, instance, instances, strategy: 'name' } });
  });

  it('binds each.value with each.key: a map variable default gives its keys', async () => {
    const queue = finding({ Type: 'AwsSqsQueue', Id: `arn:aws:sqs:us-east-1:${ACCOUNT}:billing-queue` });
    expect(await locate(queue, tf())).toMatchObject({ found: true, target: { address: 'aws_sqs_queue.q', instance: '["billing"]' } });
  });

  it('never guesses an instance of a collection it cannot evaluate, and says what to add', async () => {
    const result = await locate(bucket('acme-eu-regional'), tf());
    expect(result.found).toBe(false);
    expect(result.tried.at(-1)).toBe(SOURCE_TAG_ADVICE);
  });

  it('finds every instance key of a for_each set by its own name (property)', async () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(key, { minLength: 1, maxLength: 4 }), fc.nat(), async (keys, pick) => {
        const dir = mkdtempSync(join(tmpdir(), 'cloudmend-each-'));
        try {
          const set = keys.map((k) => `"${k}"`).join(', ');
          writeTree(dir, {
            'main.tf': `resource "aws_s3_bucket" "b" {\n  for_each = toset([${set}])\n  bucket   = "p-\${each.key}-x"\n}\n`,
          });
          const chosen = keys[pick % keys.length] ?? '';
          const result = await locate(bucket(`p-${chosen}-x`), { name: 'p', root: dir, iac: 'terraform' });
          expect(result).toMatchObject({ found: true, target: { instance: `["${chosen}"]`, instances: keys.length } });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 8 },
    );
  });
});

describe('modules named by their calls', () => {
  it('resolves the call’s inputs, data sources of the caller included, and names the call', async () => {
    const result = await locate(bucket(`${ACCOUNT}-logs`), tf());
    expect(result).toMatchObject({
      found: true,
      target: { file: 'modules/bucket/main.tf', address: 'aws_s3_bucket.this', caller: { file: 'main.tf', address: 'module.logs' } },
    });
    const media = await locate(bucket('acme-media'), tf());
    expect(media).toMatchObject({ found: true, target: { caller: { address: 'module.media' } } });
    const team = await locate(bucket('acme-blue-team'), tf());
    expect(team).toMatchObject({ found: true, target: { address: 'aws_s3_bucket.this', caller: { address: 'module.team["blue"]' } } });
  });

  it('does not take the account from a call that passes other providers', async () => {
    const result = await locate(bucket(`${ACCOUNT}-shared`), tf());
    expect(result.found).toBe(false);
  });
});

describe('names with values made up at creation', () => {
  it.each([
    ['a random_id suffix', bucket('acme-uploads-8f3a12bc'), 'aws_s3_bucket.uploads'],
    [
      'a name_prefix and the unique id Terraform appends',
      finding({
        Type: 'AwsEc2SecurityGroup',
        Id: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-0123`,
        Details: { AwsEc2SecurityGroup: { GroupName: 'web-20240101120000000000000001' } },
      }),
      'aws_security_group.web',
    ],
    [
      'a random_string run through replace, substr and trimsuffix',
      finding({
        Type: 'AwsElbv2LoadBalancer',
        Id: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/lb-x7Qp-WebApp/50dc6c495c0c9188`,
        Details: { AwsElbv2LoadBalancer: { LoadBalancerName: 'lb-x7Qp-WebApp' } },
      }),
      'aws_lb.app',
    ],
  ])('locates a name with %s by its shape', async (_, f, address) => {
    expect(await locate(f, shapes())).toMatchObject({ found: true, target: { address } });
  });

  it('takes any random_id.hex suffix and nothing else for it (property)', async () => {
    // With a digit in it: a suffix of letters alone fits the random_pet bucket's name too (below).
    const hex = fc.stringMatching(/^[0-9a-f]{8}$/).filter((s) => /[0-9]/.test(s));
    const other = fc.stringMatching(/^[0-9a-z]{8}$/).filter((s) => /[g-z]/.test(s));
    await fc.assert(
      fc.asyncProperty(hex, other, async (good, bad) => {
        expect(await locate(bucket(`acme-uploads-${good}`), shapes())).toMatchObject({
          found: true,
          target: { address: 'aws_s3_bucket.uploads' },
        });
        expect((await locate(bucket(`acme-uploads-${bad}`), shapes())).found).toBe(false);
      }),
      { numRuns: 10 },
    );
  });

  it('prefers the name the code spells out, and never takes a shape that another resource may also have', async () => {
    // `random_pet` alone fits any name of lower-case words, acme-media included.
    expect(await locate(bucket('acme-media'), shapes())).toMatchObject({ found: true, target: { address: 'aws_s3_bucket.media' } });
    const result = await locate(bucket('acme-uploads-deadbeef'), shapes());
    expect(result.found).toBe(false);
    expect(result.tried[0]).toBe(
      'name "acme-uploads-deadbeef" has the shape of main.tf#aws_s3_bucket.uploads, but main.tf#aws_s3_bucket.anything may have it: their names cannot be evaluated',
    );
  });
});

describe('variable files given on the command line', () => {
  it('evaluates a module with each of its variable files, and says which one the name was found with', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudmend-varfiles-'));
    writeTree(dir, {
      'stack/main.tf': 'variable "env" {}\n\nresource "aws_s3_bucket" "data" {\n  bucket = "acme-${var.env}-data"\n}\n',
      'stack/envs/prod.tfvars': 'env = "prod"\n',
      'stack/envs/dev.tfvars.json': '{ "env": "dev" }\n',
      'other/main.tf': 'variable "env" {}\n',
      'other/prod.tfvars': 'env = "stage"\n',
    });
    try {
      const repo = { name: 'vars', root: dir, iac: 'terraform' } as const;
      expect(await locate(bucket('acme-prod-data'), repo)).toMatchObject({
        found: true,
        target: { file: 'stack/main.tf', address: 'aws_s3_bucket.data', varFile: 'stack/envs/prod.tfvars' },
      });
      expect(await locate(bucket('acme-dev-data'), repo)).toMatchObject({ found: true, target: { varFile: 'stack/envs/dev.tfvars.json' } });
      // other/prod.tfvars is another module's.
      expect((await locate(bucket('acme-stage-data'), repo)).found).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('KMS keys reported by key id', () => {
  const key = (details: Record<string, unknown>): Finding =>
    finding({
      Type: 'AwsKmsKey',
      Id: `arn:aws:kms:us-east-1:${ACCOUNT}:key/6f1d2e3c-4b5a-4978-8a6b-5c4d3e2f1a0b`,
      Details: { AwsKmsKey: { KeyId: '6f1d2e3c-4b5a-4978-8a6b-5c4d3e2f1a0b', ...details } },
    });

  it('matches the description the finding carries against the one the code declares', async () => {
    expect(await locate(key({ Description: `${ACCOUNT} logs key` }), tf())).toMatchObject({
      found: true,
      target: { address: 'aws_kms_key.logs' },
    });
  });

  it('lists the keys, never picks one, when the finding names none of them', async () => {
    const result = await locate(key({}), tf());
    expect(result.found).toBe(false);
    expect(result.tried).toContain(
      "KMS keys declared: main.tf#aws_kms_key.logs, main.tf#aws_kms_key.data; none has the finding's description or alias",
    );
  });
});

describe('CloudFormation names', () => {
  const template = parseTemplate('app.yaml', TEMPLATE);
  const pseudo = { account: ACCOUNT, region: 'us-east-1', partition: 'aws' };
  const name = (id: string, stackName?: string): string | undefined =>
    evaluateString(propertyAt(template.resources.find((r) => r.logicalId === id)!, ['Properties', 'BucketName']), template, {
      ...pseudo,
      stackName,
    });

  it('evaluates !Sub with a map, !Select over a list parameter, !Join and !Split, and the stack name the finding tells', () => {
    expect(name('Data', 'app')).toBe('app-prod-b-data');
    expect(name('Data')).toBeUndefined();
    expect(name('Archive')).toBe(`${ACCOUNT}-x-archive`);
  });

  it('locates a name built with them, mappings, conditions and allowed values, and a name CloudFormation generated for a resource that declares none', async () => {
    expect(await locate(bucket(`${ACCOUNT}-x-archive`), cfn())).toMatchObject({ found: true, target: { address: 'Archive' } });
    for (const [name, address] of [
      ['acme-live', 'Mapped'],
      ['acme-prod-chosen', 'Chosen'],
      ['acme-silver-tier', 'Tiered'],
    ])
      expect(await locate(bucket(name ?? ''), cfn())).toMatchObject({ found: true, target: { address } });
    expect((await locate(bucket('acme-other-chosen'), cfn())).found).toBe(false);
    const logs = await locate(bucket('app-logs-1q2w3e4r5t6y', { 'aws:cloudformation:stack-name': 'app' }), cfn());
    expect(logs).toMatchObject({ found: true, target: { file: 'app.yaml', address: 'Logs', strategy: 'name' } });
    const data = await locate(bucket('app-prod-b-data', { 'aws:cloudformation:stack-name': 'app' }), cfn());
    expect(data).toMatchObject({ found: true, target: { file: 'app.yaml', address: 'Data', strategy: 'name' } });
    // A SAM function is deployed as a function of its logical id.
    const sam = await locate(
      finding({
        Type: 'AwsLambdaFunction',
        Id: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:api-Api-Zx81Qw2Er3Ty`,
        Tags: { 'aws:cloudformation:stack-name': 'api', 'aws:cloudformation:logical-id': 'Api' },
      }),
      cfn(),
    );
    expect(sam).toMatchObject({ found: true, target: { file: 'sam.yaml', address: 'Api', strategy: 'stack' } });
    // Two templates declare Plain: the stack's logical id alone lists both.
    const plain = await locate(
      bucket('app-plain-1q2w3e4r5t6y', { 'aws:cloudformation:stack-name': 'app', 'aws:cloudformation:logical-id': 'Plain' }),
      cfn(),
    );
    expect(plain.found).toBe(false);
    expect(plain.tried[0]).toMatch(/^stack app, logical id Plain: 2 candidates \(app\.yaml#Plain, other\/copy\.yaml#Plain\)/);
  });
});
