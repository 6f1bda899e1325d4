resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.data.id
  target_bucket = "acme-s3-access-logs"
  target_prefix = "data/"
}

resource "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy"

  logging {
    target_bucket = var.log_bucket
  }
}

variable "log_bucket" {
  type = string
}

module "static" {
  source = "terraform-aws-modules/s3-bucket/aws"

  bucket = "acme-static"
  logging = {
    target_bucket = module.logs.s3_bucket_id
    target_prefix = "static/"
  }
}
