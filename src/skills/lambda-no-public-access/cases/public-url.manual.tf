# Public webhook endpoint for the payment provider.
resource "aws_lambda_function_url" "webhook" {
  function_name      = "payment-webhook"
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "webhook" {
  statement_id           = "AllowPublicUrl"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = "payment-webhook"
  principal              = "*"
  function_url_auth_type = "NONE"
}
