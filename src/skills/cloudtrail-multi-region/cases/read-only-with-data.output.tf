resource "aws_cloudtrail" "reads" {
  name                  = "acme-reads"
  s3_bucket_name        = "acme-reads-trail"
  is_multi_region_trail = true // one Region while we evaluate the cost

  event_selector {
    read_write_type = "ReadOnly"

    data_resource {
      type   = "AWS::Lambda::Function"
      values = ["arn:aws:lambda"]
    }
  }
}
