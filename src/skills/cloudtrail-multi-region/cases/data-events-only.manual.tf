# Object-level logging only: management events go to the organization trail.
resource "aws_cloudtrail" "objects" {
  name                  = "acme-object-access"
  s3_bucket_name        = "acme-object-access-logs"
  is_multi_region_trail = true

  event_selector {
    read_write_type           = "All"
    include_management_events = false

    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3:::acme-customer-exports/"]
    }
  }
}
