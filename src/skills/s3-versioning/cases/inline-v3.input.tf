terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 3.75"
    }
  }
}

resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"
  acl    = "private"
}

resource "aws_s3_bucket" "exports" {
  bucket = "acme-exports"
  acl    = "private"

  versioning {
    enabled = false
  }
}
