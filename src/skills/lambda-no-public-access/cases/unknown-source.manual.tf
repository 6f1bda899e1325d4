variable "partner_account_id" {
  type = string
}

resource "aws_lambda_permission" "partner" {
  statement_id   = "AllowPartner"
  action         = "lambda:InvokeFunction"
  function_name  = "partner-sync"
  principal      = "*"
  source_account = var.partner_account_id
}

resource "aws_s3_bucket" "archive" {
  bucket   = "acme-archive"
  provider = aws.archive
}

provider "aws" {
  alias  = "archive"
  region = "eu-west-1"
}

resource "aws_lambda_permission" "archive" {
  statement_id  = "AllowArchive"
  action        = "lambda:InvokeFunction"
  function_name = "archive-indexer"
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.archive.arn
}
