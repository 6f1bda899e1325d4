resource "aws_apigatewayv2_api" "chat" {
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_stage" "chat" {
  api_id      = aws_apigatewayv2_api.chat.id
  name        = "production"
  auto_deploy = true
}

resource "aws_apigatewayv2_stage" "chat_beta" {
  api_id = aws_apigatewayv2_api.chat.id
  name   = "beta"

  default_route_settings {
    logging_level          = "OFF"
    throttling_burst_limit = 100
    throttling_rate_limit  = 50
  }
}
