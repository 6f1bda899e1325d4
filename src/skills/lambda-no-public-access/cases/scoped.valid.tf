data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

resource "aws_lambda_permission" "reports" {
  statement_id   = "AllowReportsBucket"
  action         = "lambda:InvokeFunction"
  function_name  = "report-indexer"
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.reports.arn
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_lambda_permission" "organization" {
  statement_id     = "AllowOrganization"
  action           = "lambda:InvokeFunction"
  function_name    = "shared-resolver"
  principal        = "*"
  principal_org_id = "o-a1b2c3d4e5"
}

resource "aws_lambda_function_url" "admin" {
  function_name      = "admin-api"
  authorization_type = "AWS_IAM"
}
