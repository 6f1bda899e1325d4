data "aws_caller_identity" "current" {}

# Encrypts the audit log bucket.
resource "aws_kms_key" "audit_logs" {
  description             = "Audit log encryption"
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "RootAccess"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
  enable_key_rotation = true
}

resource "aws_kms_alias" "audit_logs" {
  name          = "alias/audit-logs"
  target_key_id = aws_kms_key.audit_logs.key_id
}
