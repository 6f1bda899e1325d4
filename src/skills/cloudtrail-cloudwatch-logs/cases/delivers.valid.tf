resource "aws_cloudwatch_log_group" "trail" {
  name              = "cloudtrail/audit"
  retention_in_days = 365
}

resource "aws_cloudtrail" "audit" {
  name                       = "acme-audit"
  s3_bucket_name             = "acme-audit-trail"
  enable_log_file_validation = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/cloudtrail-to-cloudwatch"
}
