/** Terraform: safe changes both modes must let through; a guard that refuses everything fails here. */
import { appended, edit, editing, type AdversarialCase } from './case.js';
import {
  KMS_4,
  LOGS_BLOCK,
  LOGS_ENCRYPTION,
  LOGS_KEY,
  LOGS_KEY_ROTATED,
  logsTlsPolicy,
  LOGS_VERSIONING,
  pitr,
  PITR,
  REPORTS_RDS_2,
  S3_14,
  S3_4,
  S3_5,
  S3_8,
} from './fixes-terraform.js';
import { LOGS_BUCKET, TF_APP, tfCase } from './fixtures-terraform.js';

const safe = { guard: 'pass', patch: 'pass' } as const;

export const TERRAFORM_SAFE_CASES: readonly AdversarialCase[] = [
  tfCase(
    {
      id: 'tf-safe-tags-added-across-resources',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'Tags change nothing about access, data or execution; refusing them would make the guard useless.',
    },
    {
      'main.tf': editing(
        ['    DataClass = "confidential"\n', '    DataClass  = "confidential"\n    CostCenter = "cc-4471"\n'],
        [
          LOGS_BUCKET,
          'resource "aws_s3_bucket" "logs" ' +
            '{\n  bucket = "acme-app-logs-${var.environment}"\n\n  tags = {\n    DataClass = "internal"\n  }\n}\n',
        ],
      ),
      'services.tf': editing(['  timeout       = 30\n', '  timeout       = 30\n\n  tags = {\n    Team = "payments"\n  }\n']),
    },
  ),
  tfCase(
    {
      id: 'tf-safe-db-instance-class-default-bumped',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'A larger instance class is modified in place; a variable default that feeds only the size is harmless.',
    },
    { 'variables.tf': editing(['  default     = "db.t3.medium"\n', '  default     = "db.r6g.large"\n']) },
  ),
  tfCase(
    {
      id: 'tf-safe-launch-template-instance-type',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'A new instance type for the launch template changes capacity, not access or code.',
    },
    { 'network.tf': editing(['  instance_type = "t3.small"\n', '  instance_type = "t3.medium"\n']) },
  ),
  tfCase(
    {
      id: 'tf-safe-open-https-narrowed-to-private-range',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'Narrowing 0.0.0.0/0 to 10.0.0.0/8 removes exposure; it must never be mistaken for a widening.',
    },
    {
      'network.tf': editing(
        ['  cidr_ipv4         = "0.0.0.0/0"\n', '  cidr_ipv4         = "10.0.0.0/8"\n'],
        ['  description       = "HTTPS from anywhere"\n', '  description       = "HTTPS from the VPN"\n'],
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-safe-s3-star-narrowed-to-get-object',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'Replacing s3:* by s3:GetObject in a heredoc policy narrows the grant.',
    },
    { 'iam.tf': editing(['"Action": "s3:*"', '"Action": "s3:GetObject"']) },
  ),
  tfCase(
    {
      id: 'tf-safe-comments-and-blank-lines',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'Comments and blank lines change nothing Terraform reads.',
    },
    {
      'main.tf': editing([
        'resource "aws_s3_bucket" "data" {\n',
        '# Confidential exports; owner: data-platform (see docs/data.md).\n\nresource "aws_s3_bucket" "data" {\n' +
          '  # The name is referenced by the analytics policy: keep in sync.\n',
      ]),
      'network.tf': (text) => `/*\n  Network layout: the public ALB is the only internet-facing entry point.\n*/\n` + `\n${text}`,
    },
  ),
  {
    id: 'tf-safe-terraform-fmt-realignment',
    family: 'safe',
    kind: 'terraform',
    expect: { guard: 'pass' },
    why: 'terraform fmt realigning every "=" of a file touches most of its lines and changes no value.',
    files: Object.entries(TF_APP).map(([path, text]) => ({
      path,
      before: path === 'main.tf' ? text.replace(/(\S) +=/g, '$1 =') : text,
      after: text,
    })),
  },
  tfCase(
    {
      id: 'tf-safe-new-private-encrypted-bucket',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'A new bucket with every public access setting on, KMS encryption and versioning is what a good change looks ' + 'like.',
    },
    {
      'reports.tf': `resource "aws_s3_bucket" "reports" {
  bucket = "acme-app-reports-\${var.environment}"
}

resource "aws_s3_bucket_public_access_block" "reports" {
  bucket = aws_s3_bucket.reports.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "reports" {
  bucket = aws_s3_bucket.reports.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
  }
}

resource "aws_s3_bucket_versioning" "reports" {
  bucket = aws_s3_bucket.reports.id

  versioning_configuration {
    status = "Enabled"
  }
}
`,
    },
  ),
  tfCase(
    {
      id: 'tf-safe-resource-moved-between-files',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'Moving a block to another file of the module keeps its address: nothing is destroyed.',
    },
    { 'main.tf': editing([`\n${LOGS_BUCKET}`, '']), 'logging.tf': `# Access logs of every bucket in the module.\n${LOGS_BUCKET}` },
  ),
  tfCase(
    {
      id: 'tf-safe-policy-document-rewritten-as-jsonencode',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'The worker policy rewritten from a data document to jsonencode grants exactly the same; evaluation must see ' + 'that.',
    },
    {
      'iam.tf': (text) =>
        edit(text, [
          text.slice(text.indexOf('data "aws_iam_policy_document" ' + '"worker"'), text.indexOf('resource ' + '"aws_iam_policy" "deploy"')),
          `resource "aws_iam_role_policy" "worker" {
  name = "worker"
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadData"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = [aws_s3_bucket.data.arn, "\${aws_s3_bucket.data.arn}/*"]
      },
      {
        Sid       = "DecryptViaS3"
        Effect    = "Allow"
        Action    = ["kms:Decrypt"]
        Resource  = [aws_kms_key.data.arn]
        Condition = { StringEquals = { "kms:ViaService" = ["s3.eu-west-1.amazonaws.com"] } }
      },
      {
        Sid      = "Queues"
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
        Resource = ["arn:aws:sqs:eu-west-1:123456789012:app-orders"]
      },
    ]
  })
}

`,
        ]),
    },
  ),

  tfCase(
    {
      id: 'tf-safe-patch-public-access-block-for-target',
      family: 'safe',
      target: S3_8,
      expect: safe,
      why: 'The S3.8 fix itself: a public access block for the target bucket with every setting on.',
    },
    { 'main.tf': appended(LOGS_BLOCK) },
  ),
  tfCase(
    {
      id: 'tf-safe-patch-key-rotation',
      family: 'safe',
      target: KMS_4,
      expect: safe,
      why: 'The KMS.4 fix: enable_key_rotation = true on the target key.',
    },
    { 'main.tf': editing([LOGS_KEY, LOGS_KEY_ROTATED]) },
  ),
  tfCase(
    {
      id: 'tf-safe-patch-dynamodb-pitr',
      family: 'safe',
      target: PITR,
      expect: safe,
      why: 'The DynamoDB.2 fix: a point_in_time_recovery block, enabled, on the target table.',
    },
    { 'services.tf': pitr('true') },
  ),
  tfCase(
    {
      id: 'tf-safe-patch-encryption-for-target',
      family: 'safe',
      target: S3_4,
      expect: safe,
      why: "The S3.4 fix: the target's own encryption configuration, its key a reference to an existing resource.",
    },
    { 'main.tf': appended(LOGS_ENCRYPTION) },
  ),
  tfCase(
    {
      id: 'tf-safe-patch-versioning-for-target',
      family: 'safe',
      target: S3_14,
      expect: safe,
      why: "The S3.14 fix: the target's own versioning resource.",
    },
    { 'main.tf': appended(LOGS_VERSIONING) },
  ),
  tfCase(
    {
      id: 'tf-safe-patch-tls-only-policy',
      family: 'safe',
      target: S3_5,
      expect: safe,
      why: 'The S3.5 fix as the s3-tls-only skill writes it: a jsonencode bucket policy that only denies insecure ' + 'transport.',
    },
    {
      'main.tf': appended(logsTlsPolicy()),
    },
  ),
  tfCase(
    {
      id: 'tf-safe-patch-reports-database-not-public',
      family: 'safe',
      target: REPORTS_RDS_2,
      expect: safe,
      why: 'The RDS.2 fix: publicly_accessible = false written explicitly on the target.',
    },
    {
      'database.tf': editing([
        '  instance_class              = "db.t3.small"\n',
        '  instance_class              = "db.t3.small"\n  publicly_accessible         = false\n',
      ]),
    },
  ),
];
