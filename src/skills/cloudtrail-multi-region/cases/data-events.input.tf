resource "aws_s3_bucket" "payments" {
  bucket = "acme-payments-documents"
}

resource "aws_s3_bucket" "trail" {
  bucket = "acme-payments-trail"
}

resource "aws_cloudtrail" "payments" {
  name                  = "payments"
  s3_bucket_name        = aws_s3_bucket.trail.id
  s3_key_prefix         = "payments"
  is_multi_region_trail = false

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    # Object-level access to payment documents.
    data_resource {
      type   = "AWS::S3::Object"
      values = ["${aws_s3_bucket.payments.arn}/"]
    }
  }
}

resource "aws_cloudwatch_log_group" "payments" {
  name              = "/acme/payments"
  retention_in_days = 30
}
