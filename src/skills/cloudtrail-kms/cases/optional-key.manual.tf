variable "kms_key_arn" {
  type        = string
  default     = null
  description = "KMS key for the trail's log files; null keeps S3-managed encryption."
}

resource "aws_kms_key" "logs" {
  description         = "Application logs"
  enable_key_rotation = true
}

resource "aws_cloudtrail" "app" {
  name                  = "acme-app"
  s3_bucket_name        = "acme-app-trail"
  is_multi_region_trail = true
  kms_key_id            = var.kms_key_arn
}
