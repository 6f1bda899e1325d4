/** Terraform: cloudmend's own patches that are harmless to `cloudmend guard` but outside what the control allows. */
import { appended, edit, editing, type AdversarialCase } from './case.js';
import {
  KMS_4,
  LOGS_BLOCK,
  LOGS_ENCRYPTION,
  LOGS_KEY,
  LOGS_KEY_ROTATED,
  LOGS_VERSIONING,
  MINOR_UPGRADE,
  pitr,
  PITR,
  RDS_13,
  S3_14,
  S3_4,
  S3_5,
  S3_8,
} from './fixes-terraform.js';
import { LOGS_BUCKET, tfCase } from './fixtures-terraform.js';

const outside = { guard: 'pass', patch: 'refuse' } as const;

export const TERRAFORM_CONTRACT_CASES: readonly AdversarialCase[] = [
  tfCase(
    {
      id: 'tf-contract-new-variable-for-a-tag',
      family: 'contract',
      target: S3_8,
      expect: outside,
      why: 'The block is the fix; a new variable feeding a tag is new configuration surface the S3.8 contract does not ' + 'name.',
    },
    {
      'main.tf': (text) =>
        appended(LOGS_BLOCK)(
          edit(text, [
            LOGS_BUCKET,
            'resource "aws_s3_bucket" "logs" {\n' +
              '  bucket = "acme-app-logs-${var.environment}"\n\n  tags = {\n    Owner = var.log_owner\n  }\n}\n',
          ]),
        ),
      'variables.tf': appended('variable "log_owner" {\n  type    = string\n  default = "platform"\n}\n'),
    },
  ),
  tfCase(
    {
      id: 'tf-contract-edits-an-unrelated-function',
      family: 'contract',
      target: S3_8,
      expect: outside,
      why: 'Beside the public access block, the patch raises a Lambda timeout: a resource that is neither the bucket nor ' + 'its own.',
    },
    { 'main.tf': appended(LOGS_BLOCK), 'services.tf': editing(['  timeout       = 30\n', '  timeout       = 60\n']) },
  ),
  tfCase(
    {
      id: 'tf-contract-new-output',
      family: 'contract',
      target: KMS_4,
      expect: outside,
      why: 'Outputs publish values to whoever reads the state or the pipeline log; a rotation fix has no reason to add ' + 'one.',
    },
    {
      'main.tf': (text) =>
        appended('output "logs_key_arn" {\n  value = aws_kms_key.logs.arn\n' + '}\n')(edit(text, [LOGS_KEY, LOGS_KEY_ROTATED])),
    },
  ),
  tfCase(
    {
      id: 'tf-contract-function-call-in-a-new-value',
      family: 'contract',
      target: PITR,
      expect: outside,
      why: 'tobool("true") evaluates to true, but new values in cloudmend\'s patches are literals or references, not ' + 'function calls.',
    },
    { 'services.tf': pitr('tobool("true")') },
  ),
  tfCase(
    {
      id: 'tf-contract-local-for-a-new-value',
      family: 'contract',
      target: PITR,
      expect: outside,
      why: 'Enabling PITR through a new local adds indirection (and a block) the contract does not allow.',
    },
    { 'services.tf': (text) => `locals {\n  pitr_enabled = true\n}\n\n${pitr('local.pitr_enabled')(text)}` },
  ),
  tfCase(
    {
      id: 'tf-contract-resource-type-outside-the-contract',
      family: 'contract',
      target: S3_4,
      expect: outside,
      why: 'With the encryption configuration comes an SNS topic: a resource type the S3.4 contract does not name.',
    },
    {
      'main.tf': appended(
        `${LOGS_ENCRYPTION}\nresource "aws_sns_topic" "logs_alerts" {\n` +
          `  name              = "app-logs-alerts"\n  kms_master_key_id = "alias/aws/sns"\n}\n`,
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-contract-depends-on-added-to-target',
      family: 'contract',
      target: RDS_13,
      expect: outside,
      why: 'depends_on reorders (and can block or replace) operations in the plan; the contract never lets a patch edit ' + 'it.',
    },
    {
      'database.tf': editing(MINOR_UPGRADE, [
        '  lifecycle {\n    prevent_destroy = true\n  }\n}\n\n' + 'resource "aws_db_instance" "replica"',
        '  depends_on = [aws_kms_key.data]\n\n  lifecycle {\n    prevent_destroy = true\n  }\n}\n\n' +
          'resource "aws_db_instance" "replica"',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-contract-narrows-a-policy-that-references-target',
      family: 'contract',
      target: { address: 'aws_s3_bucket.data', controlId: 'S3.9' },
      expect: outside,
      why:
        "The worker policy only references the bucket; it is not the bucket's own sub-resource, so even narrowing it " + 'is outside S3.9.',
    },
    {
      'main.tf': appended(
        'resource "aws_s3_bucket_logging" "data" {\n  bucket        = aws_s3_bucket.data.id\n' +
          '  target_bucket = aws_s3_bucket.logs.id\n  target_prefix = "s3/data/"\n}\n',
      ),
      'iam.tf': editing(['    actions   = ["s3:GetObject", "s3:ListBucket"]\n', '    actions   = ["s3:GetObject"]\n']),
    },
  ),
  tfCase(
    {
      id: 'tf-contract-lifecycle-added-to-target',
      family: 'contract',
      target: KMS_4,
      expect: outside,
      why: 'A lifecycle block changes how Terraform replaces the key; the contract forbids lifecycle edits in ' + "cloudmend's patches.",
    },
    { 'main.tf': editing([LOGS_KEY, `${LOGS_KEY_ROTATED}\n  lifecycle {\n    create_before_destroy = true\n  }\n`]) },
  ),
  tfCase(
    {
      id: 'tf-contract-new-data-source-for-the-policy',
      family: 'contract',
      target: S3_5,
      expect: outside,
      why: 'A TLS-only policy written through a new data source: the deny is right, a new data source is not in the ' + 'contract.',
    },
    {
      'main.tf': appended(`data "aws_iam_policy_document" "logs_tls" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.logs.arn, "\${aws_s3_bucket.logs.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs_tls.json
}
`),
    },
  ),
  tfCase(
    {
      id: 'tf-contract-variable-default-edited',
      family: 'contract',
      target: RDS_13,
      expect: outside,
      why: "Resizing the database through a variable default is harmless to guard, but cloudmend's patch may not edit " + 'defaults.',
    },
    {
      'database.tf': editing(MINOR_UPGRADE),
      'variables.tf': editing(['  default     = "db.t3.medium"\n', '  default     = "db.t3.large"\n']),
    },
  ),
  tfCase(
    {
      id: 'tf-contract-moved-block-renames-target',
      family: 'contract',
      target: KMS_4,
      expect: outside,
      why: 'A correct moved block is a harmless rename to guard, but renaming the target is no part of a rotation fix.',
    },
    {
      'main.tf': editing(
        [
          'resource "aws_kms_key" "logs" {\n',
          'moved {\n  from = aws_kms_key.logs\n  to   = aws_kms_key.access_logs\n}\n\n' + 'resource "aws_kms_key" "access_logs" {\n',
        ],
        [LOGS_KEY, LOGS_KEY_ROTATED],
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-contract-count-added-to-target',
      family: 'contract',
      target: S3_14,
      // Terraform moves a resource that gains `count` to index 0 by itself (an implied move, since 1.1):
      // nothing is destroyed, so `cloudmend guard` lets it pass; cloudmend's own patch never edits count.
      expect: { guard: 'pass', patch: 'refuse' },
      why: 'count = 1 on the target is a meta-argument edit, which the contract forbids.',
    },
    {
      'main.tf': (text) =>
        appended(edit(LOGS_VERSIONING, ['logs.id', 'logs[0].id']))(
          edit(text, [LOGS_BUCKET, 'resource "aws_s3_bucket" "logs" {\n  count  = 1\n  bucket = "acme-app-logs-${var.environment}"\n}\n']),
        ),
    },
  ),
];
