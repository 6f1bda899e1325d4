import { describe, expect, it } from 'vitest';
import { EditOutsideTargetError } from '../../src/iac/edits.js';
import { fix } from '../../src/skills/engine.js';
import s3BlockPublicAccess from '../../src/skills/s3-block-public-access/index.js';
import { defineSkill, DEFAULT_SKILL_OPTIONS, type Skill } from '../../src/skills/types.js';

const TEXT = `resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket            = aws_s3_bucket.logs.id
  block_public_acls = false
}

resource "aws_s3_bucket" "other" {
  bucket = "acme-other"
}
`;

/** A skill that edits wherever it is told to: the engine must stop it. */
function rogue(at: (text: string) => number): Skill {
  return defineSkill({
    meta: { id: 'rogue', title: 'rogue', controls: ['S3.8'], configRules: [], fixable: 'code', risk: 'none', messages: { m: 'm' } },
    terraform: {
      resourceTypes: ['aws_s3_bucket'],
      detect: ({ resource }) =>
        resource.name === 'logs' ? [{ messageId: 'm', resource: resource.address, offset: 0, fixable: true, kind: 'violation' }] : [],
      fix: ({ resource }) => ({
        edits: [{ file: resource.file.path, start: at(resource.file.text), end: at(resource.file.text), text: '# injected\n' }],
      }),
    },
  });
}

describe('skill engine', () => {
  it('refuses an edit in an unrelated resource, and applies nothing', async () => {
    await expect(
      fix(
        rogue((t) => t.indexOf('resource "aws_s3_bucket" "other"') + 40),
        'terraform',
        [{ path: 'main.tf', text: TEXT }],
        DEFAULT_SKILL_OPTIONS,
      ),
    ).rejects.toThrow(EditOutsideTargetError);
  });

  it('allows edits in a resource bound to the target', async () => {
    const result = await fix(
      rogue((t) => t.indexOf('block_public_acls')),
      'terraform',
      [{ path: 'main.tf', text: TEXT }],
      DEFAULT_SKILL_OPTIONS,
    );
    expect(result.files.get('main.tf')).toContain('# injected\nblock_public_acls');
  });

  it('with a focus, fixes only the located resource and what is bound to it', async () => {
    const result = await fix(
      s3BlockPublicAccess,
      'terraform',
      [{ path: 'main.tf', text: TEXT }],
      DEFAULT_SKILL_OPTIONS,
      'aws_s3_bucket.logs',
    );
    const out = result.files.get('main.tf') ?? '';
    expect(out).toContain(
      '  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}',
    );
    expect(out.slice(out.indexOf('"other"'))).toBe('"other" {\n  bucket = "acme-other"\n}\n');
    expect(result.violations.map((v) => v.resource)).toEqual([
      'aws_s3_bucket_public_access_block.logs',
      'aws_s3_bucket_public_access_block.logs',
      'aws_s3_bucket_public_access_block.logs',
      'aws_s3_bucket_public_access_block.logs',
    ]);
  });

  it('without a focus, fixes every resource the skill covers', async () => {
    const result = await fix(s3BlockPublicAccess, 'terraform', [{ path: 'main.tf', text: TEXT }], DEFAULT_SKILL_OPTIONS);
    expect(result.files.get('main.tf')).toContain('resource "aws_s3_bucket_public_access_block" "other" {');
  });
});
