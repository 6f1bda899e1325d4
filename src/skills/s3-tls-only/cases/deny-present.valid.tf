resource "aws_s3_bucket" "media" {
  bucket_prefix = "acme-media-"
}

resource "aws_s3_bucket_policy" "media" {
  bucket = aws_s3_bucket.media.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "TlsOnly"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "*"
        Resource  = [aws_s3_bucket.media.arn, "${aws_s3_bucket.media.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = false } }
      },
    ]
  })
}

locals {
  archive_name = "acme-archive"
}

resource "aws_s3_bucket" "archive" {
  bucket = local.archive_name
}

data "aws_iam_policy_document" "archive" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::${local.archive_name}*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "BoolIfExists"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "archive" {
  bucket = aws_s3_bucket.archive.bucket
  policy = data.aws_iam_policy_document.archive.json
}

module "site_bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.1.2"

  bucket                                = "acme-site"
  attach_deny_insecure_transport_policy = true
}
