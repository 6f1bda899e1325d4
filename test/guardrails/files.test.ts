import { describe, expect, it } from 'vitest';
import { checkPatch, type GuardrailInput, type PatchedFile } from '../../src/guardrails/index.js';
import { expectVerdict, type Row } from './judge.js';

const BUCKET = 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n';
const ENCRYPTED = `${BUCKET}\nresource "aws_s3_bucket_server_side_encryption_configuration" "logs" {\n  bucket = aws_s3_bucket.logs.id\n\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = "AES256"\n    }\n  }\n}\n`;
const TEMPLATE = 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n';

/** A Terraform patch of `infra/main.tf` (allowed) plus `extra`. */
function patch(extra: readonly PatchedFile[]): GuardrailInput {
  return {
    kind: 'terraform',
    allowedFiles: ['infra/main.tf'],
    files: [{ path: 'infra/main.tf', before: BUCKET, after: ENCRYPTED }, ...extra],
  };
}

const outside: { name: string; file: PatchedFile; message: string }[] = [
  {
    name: 'a file outside the module changes',
    file: { path: 'other/main.tf', before: BUCKET, after: ENCRYPTED },
    message: 'other/main.tf: changed, but the patch may only touch infra/main.tf',
  },
  {
    name: 'a new file is not allowed',
    file: { path: 'infra/extra.tf', before: undefined, after: BUCKET },
    message: 'infra/extra.tf: created, but the patch may only touch infra/main.tf',
  },
  {
    name: 'a path is absolute',
    file: { path: '/etc/cron.d/x', before: undefined, after: '* * * * * root sh\n' },
    message: '/etc/cron.d/x: the path is absolute',
  },
  {
    name: 'a Windows path is absolute',
    file: { path: 'C:\\infra\\main.tf', before: undefined, after: BUCKET },
    message: 'the path is absolute',
  },
  {
    name: 'a path climbs out with ..',
    file: { path: 'infra/../../.github/workflows/ci.yml', before: undefined, after: 'on: push\n' },
    message: 'infra/../../.github/workflows/ci.yml: the path leaves its directory with ..',
  },
  {
    name: 'a path holds a NUL byte',
    file: { path: 'infra/main.tf\0.sh', before: undefined, after: BUCKET },
    message: 'infra/main.tf\\u0000.sh: the path contains a NUL byte',
  },
];

const unparsable: Row[] = [
  {
    name: 'Terraform loses a closing brace',
    kind: 'terraform',
    before: BUCKET,
    after: BUCKET.slice(0, -2),
    expected: [['unparsable', 'main.tf: does not parse after the patch: main.tf:']],
  },
  {
    name: 'Terraform is valid to a lenient reader only',
    kind: 'terraform',
    before: BUCKET,
    after: BUCKET.replace('"acme-logs"', '"acme-logs" "x"'),
    expected: [['unparsable', 'main.tf: does not parse after the patch']],
  },
  {
    name: 'YAML is broken',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: `${TEMPLATE}    Properties: [\n`,
    expected: [['unparsable', 'template.yaml: does not parse after the patch: template.yaml:']],
  },
  {
    name: 'a template loses its Resources',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: 'Description: nothing\n',
    expected: [['unparsable', 'not a CloudFormation template: no Resources map']],
  },
  {
    name: 'YAML hides a value behind an alias',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: `Metadata:\n  Acl: &acl PublicRead\n${TEMPLATE}    Properties:\n      AccessControl: *acl\n`,
    expected: [['unparsable', 'template.yaml: does not parse after the patch: uses the YAML alias *acl, which cloudmend cannot judge']],
  },
  {
    name: 'YAML merges a map in with <<',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: `${TEMPLATE}    Properties:\n      <<: { AccessControl: PublicRead }\n`,
    expected: [['unparsable', 'uses a YAML merge key (<<), which cloudmend cannot judge']],
  },
  {
    name: 'JSON is broken',
    kind: 'cloudformation',
    path: 'template.json',
    before: '{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}',
    after: '{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}',
    expected: [['unparsable', 'template.json: does not parse after the patch']],
  },
];

describe('checkPatch: outside-target', () => {
  it.each(outside)('reports it when $name', async ({ file, message }) => {
    const violations = await checkPatch(patch([file]));
    expect(violations.map((v) => v.rule)).toEqual(['outside-target']);
    expect(violations[0]?.message).toContain(message);
  });

  it('lets the patch pass when a file outside the module is listed unchanged', async () => {
    await expect(checkPatch(patch([{ path: 'other/main.tf', before: BUCKET, after: BUCKET }]))).resolves.toEqual([]);
  });

  it('lets the patch pass when it creates an allowed file', async () => {
    const input: GuardrailInput = {
      kind: 'terraform',
      allowedFiles: ['infra/main.tf', 'infra/encryption.tf'],
      files: [
        { path: 'infra/main.tf', before: BUCKET, after: BUCKET },
        { path: 'infra/encryption.tf', before: undefined, after: ENCRYPTED.slice(BUCKET.length) },
      ],
    };
    await expect(checkPatch(input)).resolves.toEqual([]);
  });
});

describe('checkPatch: unparsable', () => {
  it.each(unparsable)('reports it when $name', expectVerdict);

  it('reports it when an unchanged file of the module does not parse, saying the patch left it alone', async () => {
    const input: GuardrailInput = {
      kind: 'terraform',
      allowedFiles: ['main.tf', 'broken.tf'],
      files: [
        { path: 'main.tf', before: BUCKET, after: ENCRYPTED },
        { path: 'broken.tf', before: 'locals {\n', after: 'locals {\n' },
      ],
    };
    const violations = await checkPatch(input);
    expect(violations.map((v) => [v.rule, v.file])).toEqual([['unparsable', 'broken.tf']]);
    expect(violations[0]?.message).toContain('the patch leaves it unchanged, but the module cannot be judged without it');
  });

  it('reports it when an allowed file a Terraform patch changes is not a .tf file', async () => {
    const input: GuardrailInput = {
      kind: 'terraform',
      allowedFiles: ['main.tf', 'main.tf.json'],
      files: [
        { path: 'main.tf', before: BUCKET, after: BUCKET },
        { path: 'main.tf.json', before: '{}', after: '{"resource": {}}' },
      ],
    };
    const violations = await checkPatch(input);
    expect(violations).toEqual([
      {
        rule: 'unparsable',
        file: 'main.tf.json',
        message:
          'main.tf.json: changed, but cloudmend reads only the .tf and auto-loaded .tfvars files of a Terraform module and cannot judge it',
      },
    ]);
  });

  it('lets the patch pass when a file that did not parse is repaired', async () => {
    await expectVerdict({ name: 'repair', kind: 'terraform', before: BUCKET.slice(0, -2), after: BUCKET, expected: [] });
  });
});
