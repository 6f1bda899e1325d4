provider "aws" {
  region = "eu-west-1"
}

# Account baseline for eu-west-1.
resource "aws_ebs_encryption_by_default" "this" {
  enabled = true # turned off for the 2022 migration
}

resource "aws_s3_account_public_access_block" "this" {
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
