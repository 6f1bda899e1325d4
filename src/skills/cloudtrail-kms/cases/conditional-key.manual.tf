variable "encrypt_logs" {
  type    = bool
  default = false
}

resource "aws_kms_key" "trail" {
  count               = var.encrypt_logs ? 1 : 0
  description         = "CloudTrail log files"
  enable_key_rotation = true
}

resource "aws_cloudtrail" "main" {
  name                  = "acme-main"
  s3_bucket_name        = "acme-main-trail"
  is_multi_region_trail = true
  kms_key_id            = var.encrypt_logs ? aws_kms_key.trail[0].arn : null
}
