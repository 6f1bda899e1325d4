import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { locate, SOURCE_TAG_ADVICE, type LocateRepository } from '../../src/iac/locate.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { writeTree } from '../support/tree.js';

/**
 * Code tagged by bridgecrew's yor (as terragoat and cfngoat are): every name is built from a variable or
 * parameter without a default, so only the provenance tags AWS copies into the finding can locate it.
 */
const FILES: Readonly<Record<string, string>> = {
  'terraform/aws/variables.tf': 'variable "prefix" {}\nvariable "default_tags" {}\n',
  'terraform/aws/s3.tf': `resource "aws_s3_bucket" "data" {
  bucket = "\${var.prefix}-data"
  tags = merge(var.default_tags, {
    git_file  = "terraform/aws/s3.tf"
    git_repo  = "goat"
    yor_trace = "0874007d-903a-4b4c-945f-c9c233e13243"
  })
}

resource "aws_s3_bucket" "logs" {
  bucket = "\${var.prefix}-logs"
  tags = {
    git_file  = "terraform/aws/s3.tf"
    yor_trace = "2b4ca8b6-0a3e-4a37-8f43-6e7b2bd1a0c1"
  }
}
`,
  'terraform/aws/ec2.tf': `resource "aws_security_group" "web" {
  name = "\${var.prefix}-web"
  tags = merge(var.default_tags, { git_file = "terraform/aws/ec2.tf" })
}

resource "aws_s3_bucket" "copied" {
  bucket = "\${var.prefix}-copied"
  tags   = { yor_trace = "9f1c0e55-0000-4000-8000-000000000001" }
}

resource "aws_s3_bucket" "pasted" {
  bucket = "\${var.prefix}-pasted"
  tags   = { yor_trace = "9f1c0e55-0000-4000-8000-000000000001" }
}
`,
  'cloudformation/storage.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Prefix:
    Type: String
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub '\${Prefix}-data'
      Tags:
        - Key: git_file
          Value: cloudformation/storage.yaml
        - Key: yor_trace
          Value: 5d1b6c2e-7f3a-4c55-9e0d-1a2b3c4d5e6f
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub '\${Prefix}-logs'
      Tags:
        - Key: yor_trace
          Value: c0ffee00-1111-4222-8333-444455556666
`,
};

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cloudmend-provenance-'));
  writeTree(root, FILES);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A finding as Security Hub sends it for a tagged resource: ASFF Resources[].Tags holds the resource's tags. */
function finding(type: string, id: string, tags: Record<string, string>): Finding {
  const resource = { Type: type, Id: id, Partition: 'aws', Region: 'us-east-1', Tags: tags };
  const f = normalizeEvent(importedEvent([asffFinding({ Resources: [resource] })])).findings[0];
  if (!f) throw new Error('no finding');
  return f;
}

const bucket = (name: string, tags: Record<string, string>) => finding('AwsS3Bucket', `arn:aws:s3:::${name}`, tags);
const group = (tags: Record<string, string>) =>
  finding('AwsEc2SecurityGroup', 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d4e5f', tags);
const repo = (over: Partial<LocateRepository> = {}): LocateRepository => ({ name: 'goat', root, iac: 'terraform', ...over });

describe('locate by provenance tags', () => {
  it('locates the one Terraform resource carrying the yor_trace, also inside merge() with a variable', async () => {
    const data = await locate(bucket('acme-data', { yor_trace: '0874007d-903a-4b4c-945f-c9c233e13243', git_org: 'acme' }), repo());
    expect(data).toMatchObject({
      found: true,
      target: { file: 'terraform/aws/s3.tf', address: 'aws_s3_bucket.data', strategy: 'provenance' },
    });
    const logs = await locate(bucket('acme-logs', { yor_trace: '2b4ca8b6-0a3e-4a37-8f43-6e7b2bd1a0c1' }), repo());
    expect(logs).toMatchObject({ found: true, target: { address: 'aws_s3_bucket.logs' } });
  });

  it('locates the CloudFormation resource carrying the yor_trace', async () => {
    const result = await locate(
      bucket('acme-logs', { yor_trace: 'c0ffee00-1111-4222-8333-444455556666' }),
      repo({ iac: 'cloudformation' }),
    );
    expect(result).toMatchObject({
      found: true,
      target: { kind: 'cloudformation', file: 'cloudformation/storage.yaml', address: 'Logs', strategy: 'provenance' },
    });
  });

  it('lists the candidates and guesses nothing when a yor_trace is on two resources', async () => {
    const result = await locate(bucket('acme-pasted', { yor_trace: '9f1c0e55-0000-4000-8000-000000000001' }), repo());
    expect(result.found).toBe(false);
    expect(result.tried).toEqual([
      expect.stringMatching(/^tag yor_trace="9f1c0e55-.*": 2 candidates \(terraform\/aws\/ec2\.tf#aws_s3_bucket\.copied, .*pasted\)/),
      SOURCE_TAG_ADVICE,
    ]);
  });

  it('locates through git_file and the resource type when the file holds one resource of that type', async () => {
    const tags = { git_file: './terraform/aws/ec2.tf', git_repo: 'goat', yor_trace: 'not-in-this-repository' };
    const result = await locate(group(tags), repo());
    expect(result).toMatchObject({ found: true, target: { address: 'aws_security_group.web', strategy: 'provenance' } });
    expect(result.tried[0]).toBe('tag yor_trace="not-in-this-repository": no match');
    const cfn = await locate(bucket('x', { git_file: 'cloudformation/storage.yaml' }), repo({ iac: 'cloudformation' }));
    expect(cfn).toMatchObject({ found: false });
    expect(cfn.tried[0]).toMatch(/^tag git_file="cloudformation\/storage.yaml": AWS::S3::Bucket: 2 candidates \(.*#Data, .*#Logs\)/);
  });

  it('gives candidates, not a guess, when git_file holds several resources of the type', async () => {
    const result = await locate(bucket('acme-unknown', { git_file: 'terraform/aws/s3.tf' }), repo());
    expect(result.found).toBe(false);
    expect(result.tried[0]).toMatch(
      /^tag git_file="terraform\/aws\/s3.tf": aws_s3_bucket( or \S+)?: 2 candidates \(.*#aws_s3_bucket.data, .*#aws_s3_bucket.logs\)/,
    );
  });

  it.each([
    ['../../etc/passwd', 'leaves the repository root'],
    ['/etc/passwd', 'must be relative to the repository root'],
    ['terraform/../../outside.tf', 'leaves the repository root'],
  ])('never reads outside the repository for git_file %s', async (file, reason) => {
    const result = await locate(group({ git_file: file }), repo());
    expect(result.found).toBe(false);
    expect(result.tried[0]).toContain(reason);
  });

  it('ignores git_file when git_repo names another repository', async () => {
    const result = await locate(group({ git_file: 'terraform/aws/ec2.tf', git_repo: 'other' }), repo());
    expect(result.found).toBe(false);
    expect(result.tried[0]).toBe('tag git_file="terraform/aws/ec2.tf": its git_repo="other" is not the repository "goat"');
  });

  it('keeps cloudmend:source first: it chooses over a yor_trace', async () => {
    const tags = { 'cloudmend:source': 'terraform/aws/s3.tf#aws_s3_bucket.logs', yor_trace: '0874007d-903a-4b4c-945f-c9c233e13243' };
    expect(await locate(bucket('acme-logs', tags), repo())).toMatchObject({
      found: true,
      target: { address: 'aws_s3_bucket.logs', strategy: 'tag' },
    });
  });
});
