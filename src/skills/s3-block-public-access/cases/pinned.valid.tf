locals {
  bucket_name = "acme-${var.environment}-data"
}

variable "environment" {
  type    = string
  default = "prod"
}

resource "aws_s3_bucket" "data" {
  bucket = local.bucket_name
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket = aws_s3_bucket.data.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = var.restrict
}

variable "restrict" {
  type    = bool
  default = true
}
