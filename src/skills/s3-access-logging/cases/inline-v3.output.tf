terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 3.74"
    }
  }
}

resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
  acl    = "private"

  versioning {
    enabled = true
  }

  logging {
    target_bucket = "acme-s3-access-logs"
    target_prefix = "s3-access/reports/"
  }
}
