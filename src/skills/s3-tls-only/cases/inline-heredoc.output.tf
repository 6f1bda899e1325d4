terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 3.75"
    }
  }
}

variable "bucket_name" {
  type    = string
  default = "acme-legacy-reports"
}

resource "aws_s3_bucket" "reports" {
  bucket = var.bucket_name
  acl    = "private"

  # Kept inline: this stack still runs provider v3.
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Sid": "DenyOutsideVpc",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": "arn:aws:s3:::${var.bucket_name}/*",
        "Condition": {"StringNotEquals": {"aws:SourceVpc": "vpc-0a1b2c3d"}}
      }, {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [
          "arn:aws:s3:::${var.bucket_name}",
          "arn:aws:s3:::${var.bucket_name}/*"
        ],
        "Condition": {
          "Bool": {
            "aws:SecureTransport": "false"
          }
        }
      }]
    }
  POLICY
}
