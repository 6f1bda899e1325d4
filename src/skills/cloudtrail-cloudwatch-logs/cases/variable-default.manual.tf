variable "log_group_arn" {
  type    = string
  default = ""
}

resource "aws_cloudtrail" "audit" {
  name                       = "acme-audit"
  s3_bucket_name             = "acme-audit-trail"
  enable_log_file_validation = true
  cloud_watch_logs_group_arn = var.log_group_arn
}
