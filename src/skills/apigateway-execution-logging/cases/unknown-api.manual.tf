variable "api_id" {
  type = string
}

resource "aws_apigatewayv2_stage" "events" {
  api_id = var.api_id
  name   = "events"
}
