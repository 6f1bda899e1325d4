resource "aws_cloudtrail" "audit" {
  name                  = "acme-audit"
  s3_bucket_name        = "acme-audit-trail"
  is_multi_region_trail = true
  kms_key_id            = "" # TODO: the security team owns the key
}

resource "aws_sns_topic" "trail_delivery" {
  name = "acme-trail-delivery"
}
