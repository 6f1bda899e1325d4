variable "sse_algorithm" {
  type    = string
  default = "aws:kms"
}

resource "aws_kms_key" "reports" {
  description         = "reports bucket"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "reports" {
  bucket_prefix = "acme-reports-"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "reports" {
  bucket = aws_s3_bucket.reports.id

  rule {
    apply_server_side_encryption_by_default {
      kms_master_key_id = aws_kms_key.reports.arn
      sse_algorithm     = var.sse_algorithm
    }
    bucket_key_enabled = true
  }
}

module "archive_bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.1.2"

  bucket = "acme-archive"

  server_side_encryption_configuration = {
    rule = {
      apply_server_side_encryption_by_default = {
        sse_algorithm = "aws:kms:dsse"
      }
    }
  }
}
