locals {
  multi_region = true
}

resource "aws_cloudtrail" "org" {
  name                  = "acme-org"
  s3_bucket_name        = "acme-org-trail"
  is_multi_region_trail = local.multi_region
  is_organization_trail = true

  advanced_event_selector {
    name = "All management events"

    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }

  advanced_event_selector {
    name = "Lambda invocations"

    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }

    field_selector {
      field  = "resources.type"
      equals = ["AWS::Lambda::Function"]
    }
  }
}
