terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 3.74"
    }
  }
}

resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices"
  acl    = "private"

  versioning {
    enabled = true
  }

  # Keep invoices for seven years.
  lifecycle_rule {
    id      = "retention"
    enabled = true

    expiration {
      days = 2555
    }
  }

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }
}
