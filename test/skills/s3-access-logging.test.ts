/** S3.9: the configured log bucket is never logged into itself, whatever names it. */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/iac/source.js';
import { detect } from '../../src/skills/engine.js';
import { loadSkills } from '../../src/skills/registry.js';
import { DEFAULT_SKILL_OPTIONS, formatMessage } from '../../src/skills/types.js';

const skill = (await loadSkills()).find((s) => s.meta.id === 's3-access-logging')!;
const options = { ...DEFAULT_SKILL_OPTIONS, s3AccessLogBucket: 'acme-logs' };

async function messages(kind: 'terraform' | 'cloudformation', path: string, text: string) {
  const source = await parseSource(kind, [{ path, text }]);
  return detect(skill, source, options)
    .flatMap((d) => d.violations)
    .map((v) => [v.resource, v.fixable, formatMessage(skill.meta, v)] as const);
}

describe('s3-access-logging and the log bucket', () => {
  it('reports the log bucket for a person (Terraform literal, module input) and fixes the others', async () => {
    const text = [
      'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n',
      'module "logs2" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n  bucket = "acme-logs"\n}\n',
      'resource "aws_s3_bucket" "data" {\n  bucket = "acme-data"\n}\n',
    ].join('\n');
    const found = await messages('terraform', 'main.tf', text);
    expect(found.map(([r, f]) => [r, f])).toEqual([
      ['aws_s3_bucket.logs', false],
      ['module.logs2', false],
      ['aws_s3_bucket.data', true],
    ]);
    expect(found[0]![2]).toContain('would log every log delivery again');
  });

  it('matches a CloudFormation bucket named through a parameter default', async () => {
    const text =
      'Parameters:\n  Name:\n    Type: String\n    Default: acme-logs\nResources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Name\n';
    const found = await messages('cloudformation', 'template.yaml', text);
    expect(found.map(([r, f]) => [r, f])).toEqual([['Logs', false]]);
  });
});
