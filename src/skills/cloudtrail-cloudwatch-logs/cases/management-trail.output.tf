resource "aws_s3_bucket" "trail" {
  bucket = "acme-management-trail"
}

# Management events of every Region, read by the security team.
resource "aws_cloudtrail" "management" {
  name                          = "acme-management"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  cloud_watch_logs_group_arn    = "arn:aws:logs:us-east-1:111122223333:log-group:cloudtrail/management:*"
  cloud_watch_logs_role_arn     = "arn:aws:iam::111122223333:role/cloudtrail-to-cloudwatch"
}
