# Access logs of the public website and the CDN. Read by the security team's SIEM only.
resource "aws_s3_bucket" "access_logs" {
  bucket = "acme-access-logs"

  tags = {
    team = "platform"
  }
}

resource "aws_s3_bucket_versioning" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    id     = "expire-after-a-year"
    status = "Enabled"

    filter {}

    expiration {
      days = 365
    }
  }
}

# Session store for the web tier.
resource "aws_dynamodb_table" "sessions" {
  name         = "${local.prefix}-sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "session_id"

  attribute {
    name = "session_id"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }
}
