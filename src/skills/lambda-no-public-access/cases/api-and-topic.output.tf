variable "alerts_topic_arn" {
  type    = string
  default = "arn:aws:sns:eu-west-1:111122223333:alerts"
}

resource "aws_apigatewayv2_api" "http" {
  name          = "orders"
  protocol_type = "HTTP"
}

resource "aws_lambda_permission" "api" {
  statement_id  = "AllowApi"
  action        = "lambda:InvokeFunction"
  function_name = "orders-api"
  principal     = "apigateway.amazonaws.com" // API Gateway calls it
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/*"
}

resource "aws_lambda_permission" "alerts" {
  statement_id  = "AllowAlerts"
  action        = "lambda:InvokeFunction"
  function_name = "alerts-to-slack"
  principal     = "sns.amazonaws.com"
  source_arn    = var.alerts_topic_arn
}
