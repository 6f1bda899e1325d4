locals {
  versioning_status = "Enabled"
}

resource "aws_s3_bucket" "backups" {
  bucket = "acme-backups"
}

resource "aws_s3_bucket_versioning" "backups" {
  bucket = aws_s3_bucket.backups.id

  versioning_configuration {
    status = local.versioning_status
  }
}

resource "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy"

  versioning {
    enabled = true
  }
}

module "artifacts" {
  source = "terraform-aws-modules/s3-bucket/aws"

  bucket = "acme-artifacts"
  versioning = {
    enabled = true
  }
}
