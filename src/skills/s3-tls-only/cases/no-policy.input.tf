terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

# Nightly exports for the finance team.
resource "aws_s3_bucket" "exports" {
  bucket = "acme-finance-exports"

  tags = {
    team = "finance"
  }
}

resource "aws_s3_bucket_versioning" "exports" {
  bucket = aws_s3_bucket.exports.id
  versioning_configuration {
    status = "Enabled"
  }
}
