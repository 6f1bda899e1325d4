/**
 * The honest fixes cloudmend writes for findings in the Terraform module, and the targets they are for: the
 * building blocks of the contract, safe and targeted cases (which add to a fix what the fix must not carry).
 */
import { editing } from './case.js';

/** The logs key before and after the KMS.4 fix. */
export const LOGS_KEY = '  description             = "Key for access logs"\n  deletion_window_in_days = 30\n';
export const LOGS_KEY_ROTATED = `${LOGS_KEY}  enable_key_rotation     = true\n`;

/** The S3.8 fix: the logs bucket's own public access block, every setting on. */
export const LOGS_BLOCK = `resource "aws_s3_bucket_public_access_block" "logs" {
  bucket = aws_s3_bucket.logs.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`;

/** The S3.4 fix: the logs bucket's own encryption configuration with the existing logs key. */
export const LOGS_ENCRYPTION = `resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.logs.arn
    }
  }
}
`;

/** The S3.14 fix: the logs bucket's own versioning resource. */
export const LOGS_VERSIONING =
  'resource "aws_s3_bucket_versioning" "logs" {\n  bucket = aws_s3_bucket.logs.id\n\n' +
  '  versioning_configuration {\n    status = "Enabled"\n  }\n}\n';

/** The S3.5 fix as the s3-tls-only skill writes it, with `extra` statements (HCL object literals) after the deny. */
export function logsTlsPolicy(extra = ''): string {
  return `resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.logs.arn, "\${aws_s3_bucket.logs.arn}/*"]
        Condition = {
          Bool = {
            "aws:SecureTransport" = "false"
          }
        }
      },
${extra}    ]
  })
}
`;
}

const SESSIONS_SSE = '  server_side_encryption {\n    enabled = true\n  }\n';

/** The DynamoDB.2 fix, with `enabled` written as given. */
export function pitr(enabled: string): (text: string) => string {
  return editing([SESSIONS_SSE, `${SESSIONS_SSE}\n  point_in_time_recovery {\n    enabled = ${enabled}\n  }\n`]);
}

/** The RDS.13 fix on the primary database, as an edit. */
export const MINOR_UPGRADE = [
  '  backup_retention_period     = 14\n',
  '  backup_retention_period     = 14\n  auto_minor_version_upgrade  = true\n',
] as const;

export const S3_8 = { address: 'aws_s3_bucket.logs', controlId: 'S3.8' };
export const S3_4 = { address: 'aws_s3_bucket.logs', controlId: 'S3.4' };
export const S3_5 = { address: 'aws_s3_bucket.logs', controlId: 'S3.5' };
export const S3_14 = { address: 'aws_s3_bucket.logs', controlId: 'S3.14' };
export const KMS_4 = { address: 'aws_kms_key.logs', controlId: 'KMS.4' };
export const PITR = { address: 'aws_dynamodb_table.sessions', controlId: 'DynamoDB.2' };
export const RDS_13 = { address: 'aws_db_instance.main', controlId: 'RDS.13' };
export const REPORTS_RDS_2 = { address: 'aws_db_instance.reports', controlId: 'RDS.2' };
