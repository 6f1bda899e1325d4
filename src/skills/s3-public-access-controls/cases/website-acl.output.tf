terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 3.76"
    }
  }
}

# Marketing site, served through CloudFront since 2022.
resource "aws_s3_bucket" "site" {
  bucket = "acme-marketing-site"
  acl    = "private" # left over from the S3 website days

  website {
    index_document = "index.html"
  }
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-marketing-logs"
  acl    = "log-delivery-write"
}
