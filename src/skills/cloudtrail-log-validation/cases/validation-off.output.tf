resource "aws_cloudtrail" "org" {
  name                       = "acme-org"
  s3_bucket_name             = "acme-org-trail"
  is_organization_trail      = true
  enable_log_file_validation = true
}

resource "aws_cloudtrail" "data" {
  name                       = "acme-data-events"
  s3_bucket_name             = "acme-data-trail"
  enable_log_file_validation = true

  event_selector {
    read_write_type = "WriteOnly"
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }
}
