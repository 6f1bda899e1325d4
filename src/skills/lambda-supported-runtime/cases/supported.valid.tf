resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::111122223333:role/api"
  handler       = "index.handler"
  runtime       = "nodejs22.x"
  filename      = "build/api.zip"
}

# Container image: the image brings its own runtime.
resource "aws_lambda_function" "ml" {
  function_name = "ml"
  role          = "arn:aws:iam::111122223333:role/ml"
  package_type  = "Image"
  image_uri     = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ml:1.4.0"
}
