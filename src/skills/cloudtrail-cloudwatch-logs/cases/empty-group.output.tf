resource "aws_cloudtrail" "audit" {
  name                       = "acme-audit"
  s3_bucket_name             = "acme-audit-trail"
  enable_log_file_validation = true
  cloud_watch_logs_group_arn = "arn:aws:logs:us-east-1:111122223333:log-group:cloudtrail/management:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/audit-trail-delivery"
}
