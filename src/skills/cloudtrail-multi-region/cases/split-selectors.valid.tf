resource "aws_cloudtrail" "split" {
  name                  = "split"
  s3_bucket_name        = "acme-split-trail"
  is_multi_region_trail = true

  event_selector {
    read_write_type = "ReadOnly"
  }

  event_selector {
    read_write_type = "WriteOnly"

    data_resource {
      type   = "AWS::DynamoDB::Table"
      values = ["arn:aws:dynamodb"]
    }
  }
}
