variable "versioning_status" {
  type = string
}

resource "aws_s3_bucket" "regional" {
  for_each = toset(["us-east-1", "eu-west-1"])
  bucket   = "acme-regional-${each.key}"
}

resource "aws_s3_bucket" "scratch" {
  bucket = "acme-scratch"
}

resource "aws_s3_bucket_versioning" "scratch" {
  bucket = aws_s3_bucket.scratch.id

  versioning_configuration {
    status = var.versioning_status
  }
}

module "cache" {
  source = "terraform-aws-modules/s3-bucket/aws"

  bucket = "acme-cache"
  versioning = {
    enabled = false
  }
}
