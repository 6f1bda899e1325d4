resource "aws_cloudtrail" "audit" {
  name                  = "acme-audit"
  s3_bucket_name        = "acme-audit-trail"
  is_multi_region_trail = true
  kms_key_id            = "arn:aws:kms:us-east-1:111122223333:alias/cloudtrail" # TODO: the security team owns the key
}

resource "aws_sns_topic" "trail_delivery" {
  name = "acme-trail-delivery"
}
