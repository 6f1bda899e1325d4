variable "enable_log_file_validation" {
  type        = bool
  description = "Set per environment"
}

resource "aws_cloudtrail" "audit" {
  name                       = "acme-audit"
  s3_bucket_name             = "acme-audit-trail"
  enable_log_file_validation = var.enable_log_file_validation
}
