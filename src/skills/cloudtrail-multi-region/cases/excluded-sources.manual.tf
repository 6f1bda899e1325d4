variable "multi_region" {
  type        = bool
  description = "Whether the trail records every Region."
}

resource "aws_cloudtrail" "cost_saving" {
  name                  = "acme-main"
  s3_bucket_name        = "acme-main-trail"
  is_multi_region_trail = var.multi_region

  event_selector {
    read_write_type                  = "All"
    exclude_management_event_sources = ["kms.amazonaws.com", "rdsdata.amazonaws.com"]
  }
}
