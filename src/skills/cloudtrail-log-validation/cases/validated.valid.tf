locals {
  validation = true
}

resource "aws_cloudtrail" "audit" {
  name                       = "acme-audit"
  s3_bucket_name             = "acme-audit-trail"
  is_multi_region_trail      = true
  enable_log_file_validation = local.validation
}
