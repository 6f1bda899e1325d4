import { describe, expect, it } from 'vitest';
import { fix } from '../../src/skills/engine.js';
import s3BlockPublicAccess from '../../src/skills/s3-block-public-access/index.js';
import s3TlsOnly from '../../src/skills/s3-tls-only/index.js';
import { DEFAULT_SKILL_OPTIONS, type Skill } from '../../src/skills/types.js';

/** The logs bucket and its own companions, then (after `OTHERS`) resources that only refer to it. */
const OTHERS = '# Resources below only refer to the logs bucket.';

const TERRAFORM = `resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket            = aws_s3_bucket.logs.id
  block_public_acls = false
}

${OTHERS}
resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.data.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "data/"
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "s3:GetObject"
      Resource  = ["\${aws_s3_bucket.data.arn}/*", "\${aws_s3_bucket.logs.arn}/*"]
    }]
  })
}

resource "aws_s3_bucket" "archive" {
  bucket = "acme-archive"

  logging {
    target_bucket = aws_s3_bucket.logs.id
    target_prefix = "archive/"
  }
}
`;

const CLOUDFORMATION = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  LogsBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: acme-logs
  ${OTHERS}
  DataBucket:
    Type: AWS::S3::Bucket
    Properties:
      LoggingConfiguration:
        DestinationBucketName: !Ref LogsBucket
        LogFilePrefix: data/
  DataBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref DataBucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::111122223333:root
            Action: s3:GetObject
            Resource:
              - !Sub "\${DataBucket.Arn}/*"
              - !Sub "\${LogsBucket.Arn}/*"
`;

async function fixed(skill: Skill, kind: 'terraform' | 'cloudformation', path: string, text: string, focus: string): Promise<string> {
  const result = await fix(skill, kind, [{ path, text }], DEFAULT_SKILL_OPTIONS, focus);
  return result.files.get(path) ?? text;
}

/** What follows `OTHERS`: the resources that only refer to the target, which a fix must leave byte for byte. */
const others = (text: string): string => text.slice(text.indexOf(OTHERS));

describe('a fix edits the located resource and its own sub-resources, nothing that only refers to it', () => {
  const cases = [
    ['Terraform', 'S3.8', s3BlockPublicAccess, 'terraform', 'main.tf', TERRAFORM, 'aws_s3_bucket.logs'],
    ['Terraform', 'S3.5', s3TlsOnly, 'terraform', 'main.tf', TERRAFORM, 'aws_s3_bucket.logs'],
    ['CloudFormation', 'S3.8', s3BlockPublicAccess, 'cloudformation', 'template.yaml', CLOUDFORMATION, 'LogsBucket'],
    ['CloudFormation', 'S3.5', s3TlsOnly, 'cloudformation', 'template.yaml', CLOUDFORMATION, 'LogsBucket'],
  ] as const;
  it.each(cases)(
    '%s %s on a logs bucket leaves the buckets logging into it and their policy alone',
    async (_, _c, skill, kind, path, text, focus) => {
      const out = await fixed(skill, kind, path, text, focus);
      expect(out).not.toBe(text);
      expect(others(out)).toBe(others(text));
    },
  );

  it('Terraform S3.8 fixes the logs bucket through its own public access block', async () => {
    const out = await fixed(s3BlockPublicAccess, 'terraform', 'main.tf', TERRAFORM, 'aws_s3_bucket.logs');
    expect(out.slice(0, out.indexOf(OTHERS))).toContain(
      'bucket                  = aws_s3_bucket.logs.id\n  block_public_acls       = true',
    );
  });
});
