resource "aws_lambda_function" "fail" {
  filename      = "lambda_function_payload.zip"
  function_name = "lambda_function_name"
  role          = aws_iam_role.iam_for_lambda.arn
  handler       = "index.test"
  runtime       = "python3.6"

  ephemeral_storage {
    size = 10240 # Min 512 MB and the Max 10240 MB
  }
}
