variable "runtime" {
  type    = string
  default = "nodejs18.x"
}

resource "aws_lambda_function" "thumbnails" {
  function_name = "thumbnails"
  role          = "arn:aws:iam::111122223333:role/thumbnails"
  handler       = "index.handler"
  runtime       = "python3.8"
  filename      = "build/thumbnails.zip"
}

resource "aws_lambda_function" "webhook" {
  function_name = "webhook"
  role          = "arn:aws:iam::111122223333:role/webhook"
  handler       = "index.handler"
  runtime       = var.runtime
  filename      = "build/webhook.zip"
}

module "cleanup" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name = "cleanup"
  handler       = "main"
  runtime       = "go1.x"
  source_path   = "src/cleanup"
}
