data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "audit" {
  bucket = "acme-audit-logs-${data.aws_caller_identity.current.account_id}"
}

# Account audit trail, created before the organization trail existed.
resource "aws_cloudtrail" "audit" {
  name                          = "acme-audit"
  s3_bucket_name                = aws_s3_bucket.audit.id
  enable_log_file_validation    = true
  include_global_service_events = false # IAM events came from the us-east-1 trail

  # Only changes matter to the SOC.
  event_selector {
    read_write_type           = "WriteOnly"
    include_management_events = true
  }

  tags = {
    team = "security"
  }
}
