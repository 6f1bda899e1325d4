resource "aws_ebs_encryption_by_default" "this" {}

resource "aws_ebs_encryption_by_default" "us" {
  provider = aws.us
  enabled  = true
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}
