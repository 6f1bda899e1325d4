import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { locate, SOURCE_TAG_ADVICE, type LocateRepository } from '../../src/iac/locate.js';
import { asffFinding, importedEvent, REGION } from '../support/events.js';

let root: string;

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

function finding(resource: Record<string, unknown>, overrides: Record<string, unknown> = {}): Finding {
  const f = normalizeEvent(importedEvent([asffFinding({ Resources: [resource], ...overrides })])).findings[0];
  if (!f) throw new Error('no finding');
  return f;
}

const bucket = (name: string, tags?: Record<string, string>) => ({
  Type: 'AwsS3Bucket',
  Id: `arn:aws:s3:::${name}`,
  ...(tags ? { Tags: tags } : {}),
});
const tf = (repo: Partial<LocateRepository> = {}): LocateRepository => ({ name: 'infra', root, iac: 'terraform', ...repo });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cloudmend-locate-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('locate in Terraform', () => {
  it('matches a bucket by a name built from a variable default and a local', async () => {
    write({
      'envs/prod/main.tf': 'locals {\n  name = "acme-${var.env}-logs"\n}\nresource "aws_s3_bucket" "logs" {\n  bucket = local.name\n}\n',
      'envs/prod/variables.tf': 'variable "env" {\n  default = "prod"\n}\n',
      'envs/dev/main.tf': 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-dev-logs"\n}\n',
    });
    const result = await locate(finding(bucket('acme-prod-logs')), tf());
    expect(result).toMatchObject({
      found: true,
      target: {
        kind: 'terraform',
        file: 'envs/prod/main.tf',
        files: ['envs/prod/main.tf', 'envs/prod/variables.tf'],
        address: 'aws_s3_bucket.logs',
        strategy: 'name',
      },
    });
  });

  it('prefers the cloudmend:source tag, confined to the repository', async () => {
    write({
      'a.tf': 'resource "aws_s3_bucket" "x" {\n  bucket = "same"\n}\n',
      'b/b.tf': 'resource "aws_s3_bucket" "y" {\n  bucket = "same"\n}\n',
    });
    const result = await locate(finding(bucket('same', { 'cloudmend:source': 'b/b.tf#aws_s3_bucket.y' })), tf());
    expect(result).toMatchObject({ found: true, target: { file: 'b/b.tf', address: 'aws_s3_bucket.y', strategy: 'tag' } });
  });

  it.each([
    ['a path that climbs out', '../../etc/passwd#x', /leaves the repository root/],
    ['an absolute path', '/etc/passwd#x', /must be relative/],
    ['a path through a symlink', 'link/secret.tf#aws_s3_bucket.s', /goes through a symlink/],
  ])('refuses a source tag with %s and says so', async (_, tag, message) => {
    const outside = mkdtempSync(join(tmpdir(), 'cloudmend-outside-'));
    writeFileSync(join(outside, 'secret.tf'), 'resource "aws_s3_bucket" "s" {\n  bucket = "b"\n}\n');
    symlinkSync(outside, join(root, 'link'));
    const result = await locate(finding(bucket('b', { 'cloudmend:source': tag })), tf());
    rmSync(outside, { recursive: true, force: true });
    expect(result.found).toBe(false);
    expect(result.tried.join('\n')).toMatch(message);
  });

  it('never guesses between two declarations of the same name', async () => {
    write({
      'a/main.tf': 'resource "aws_s3_bucket" "x" {\n  bucket = "dup"\n}\n',
      'b/main.tf': 'resource "aws_s3_bucket" "y" {\n  bucket = "dup"\n}\n',
    });
    const result = await locate(finding(bucket('dup')), tf());
    expect(result.found).toBe(false);
    expect(result.tried.join('\n')).toMatch(
      /2 candidates \(a\/main\.tf#aws_s3_bucket\.x, b\/main\.tf#aws_s3_bucket\.y\); tag the resource with cloudmend:source/,
    );
  });

  it('lists what it tried when nothing matches, including files it could not read', async () => {
    write({ 'main.tf': 'resource "aws_s3_bucket" "x" {\n  bucket = "other"\n}\n', 'broken.tf': 'resource "x" {\n' });
    const result = await locate(finding(bucket('wanted')), tf());
    expect(result).toEqual({
      found: false,
      tried: [
        'skipped the module in the repository root: broken.tf:1:15: Unclosed configuration block',
        'name "wanted" in aws_s3_bucket.bucket: no match',
        SOURCE_TAG_ADVICE,
      ],
    });
  });

  it('finds the default security group and a database by identifier', async () => {
    write({
      'net.tf':
        'resource "aws_default_security_group" "default" {\n  vpc_id = aws_vpc.main.id\n}\nresource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n',
      'db.tf': 'resource "aws_db_instance" "orders" {\n  identifier = "orders-prod"\n}\n',
    });
    const sg = finding({
      Type: 'AwsEc2SecurityGroup',
      Id: 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-1',
      Details: { AwsEc2SecurityGroup: { GroupName: 'default' } },
    });
    const db = finding({ Type: 'AwsRdsDbInstance', Id: 'arn:aws:rds:us-east-1:111122223333:db:orders-prod' });
    expect(await locate(sg, tf())).toMatchObject({ found: true, target: { address: 'aws_default_security_group.default' } });
    expect(await locate(db, tf())).toMatchObject({ found: true, target: { address: 'aws_db_instance.orders' } });
  });

  it('finds the one resource that carries an account-level control', async () => {
    write({ 'account.tf': 'resource "aws_s3_account_public_access_block" "this" {\n  block_public_acls = true\n}\n' });
    const account = finding(
      { Type: 'AwsAccount', Id: 'AWS::::Account:111122223333' },
      { Compliance: { Status: 'FAILED', SecurityControlId: 'S3.1' } },
    );
    expect(await locate(account, tf())).toMatchObject({
      found: true,
      target: { address: 'aws_s3_account_public_access_block.this', strategy: 'account' },
    });
  });

  it('does not follow symlinked directories while scanning', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'cloudmend-outside-'));
    writeFileSync(join(outside, 'x.tf'), 'resource "aws_s3_bucket" "x" {\n  bucket = "outside"\n}\n');
    symlinkSync(outside, join(root, 'vendor'));
    const result = await locate(finding(bucket('outside')), tf());
    rmSync(outside, { recursive: true, force: true });
    expect(result.found).toBe(false);
    expect(result.tried).toContain('skipped vendor (symlink, not followed)');
  });
});

describe('locate in CloudFormation', () => {
  const template = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env:
    Type: String
    Default: prod
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub 'acme-\${Env}-\${AWS::AccountId}'
  Key:
    Type: AWS::KMS::Key
  KeyAlias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/acme-data
      TargetKeyId: !Ref Key
`;
  const cfn = (repo: Partial<LocateRepository> = {}): LocateRepository => ({ name: 'stacks', root, iac: 'cloudformation', ...repo });

  it('matches a name built with !Sub from a parameter default and the account id', async () => {
    write({ 'templates/storage.yaml': template, '.github/workflows/ci.yaml': 'on: push\njobs: {}\n', 'package.json': '{"name": "x"}' });
    const result = await locate(finding(bucket('acme-prod-111122223333')), cfn());
    expect(result).toMatchObject({ found: true, target: { kind: 'cloudformation', file: 'templates/storage.yaml', address: 'Logs' } });
    expect(result.tried).toEqual([]);
  });

  it('uses the stack tags and the configured stack → template map', async () => {
    write({ 'templates/storage.yaml': template });
    const tags = { 'aws:cloudformation:stack-name': 'storage-prod', 'aws:cloudformation:logical-id': 'Logs' };
    const result = await locate(
      finding(bucket('generated-name-x1y2', tags)),
      cfn({ templates: { 'storage-prod': 'templates/storage.yaml' } }),
    );
    expect(result).toMatchObject({ found: true, target: { address: 'Logs', strategy: 'stack' } });
    // Without the map, the one template that declares the logical id with the finding's type.
    const unmapped = await locate(finding(bucket('generated-name-x1y2', tags)), cfn());
    expect(unmapped).toMatchObject({ found: true, target: { file: 'templates/storage.yaml', address: 'Logs', strategy: 'stack' } });
  });

  it('finds a KMS key through its alias', async () => {
    write({ 'templates/storage.yaml': template });
    const key = finding({ Type: 'AwsKmsKey', Id: 'arn:aws:kms:us-east-1:111122223333:key/abcd', Tags: { Name: 'alias/acme-data' } });
    expect(await locate(key, cfn())).toMatchObject({ found: true, target: { address: 'Key' } });
  });
});

// APIGateway.1 names a stage by its ARN, whose API id is generated: the stage name at its end locates it.
describe('locate API Gateway stages', () => {
  const stage = (type: 'AwsApiGatewayStage' | 'AwsApiGatewayV2Stage', path: string) =>
    finding({ Type: type, Id: `arn:aws:apigateway:${REGION}::${path}`, Partition: 'aws', Region: REGION }, { control: 'APIGateway.1' });

  it('finds a REST API stage in Terraform by its stage_name', async () => {
    const tfStage = (name: string) =>
      `resource "aws_api_gateway_stage" "${name}" {\n  rest_api_id   = aws_api_gateway_rest_api.orders.id\n  deployment_id = aws_api_gateway_deployment.orders.id\n  stage_name    = "${name}"\n}\n`;
    write({ 'api.tf': `${tfStage('prod')}\n${tfStage('dev')}` });
    const f = stage('AwsApiGatewayStage', '/restapis/a1b2c3d4e5/stages/prod');
    expect(f.resource).toMatchObject({ type: 'AWS::ApiGateway::Stage', name: 'prod' });
    expect(await locate(f, tf())).toMatchObject({
      found: true,
      target: { file: 'api.tf', address: 'aws_api_gateway_stage.prod', strategy: 'name' },
    });
  });

  it('finds a WebSocket stage in CloudFormation by its StageName', async () => {
    write({
      'chat.yaml':
        'Resources:\n  ChatStage:\n    Type: AWS::ApiGatewayV2::Stage\n    Properties:\n      ApiId: !Ref ChatApi\n      StageName: production\n' +
        '  OrdersStage:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n      RestApiId: !Ref OrdersApi\n      StageName: prod\n',
    });
    const f = stage('AwsApiGatewayV2Stage', '/apis/f6g7h8i9j0/stages/production');
    expect(await locate(f, { name: 'chat', root, iac: 'cloudformation' })).toMatchObject({
      found: true,
      target: { file: 'chat.yaml', address: 'ChatStage', strategy: 'name' },
    });
  });

  it('finds a stage a deployment creates by the deployment StageName', async () => {
    write({
      'reports.yaml':
        'Resources:\n  Deployment:\n    Type: AWS::ApiGateway::Deployment\n    Properties:\n      RestApiId: !Ref Api\n      StageName: v1\n',
    });
    const f = stage('AwsApiGatewayStage', '/restapis/k1l2m3n4o5/stages/v1');
    expect(await locate(f, { name: 'reports', root, iac: 'cloudformation' })).toMatchObject({
      found: true,
      target: { address: 'Deployment' },
    });
  });
});
