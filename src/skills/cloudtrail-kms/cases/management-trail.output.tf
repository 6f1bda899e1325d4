resource "aws_s3_bucket" "trail" {
  bucket = "acme-management-trail"
}

# Organization-wide management events; the key is managed by the security account.
resource "aws_cloudtrail" "management" {
  name                          = "acme-management"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = "arn:aws:kms:us-east-1:111122223333:alias/cloudtrail"

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
}
