resource "aws_api_gateway_stage" "env" {
  for_each      = toset(["dev", "prod"])
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = each.key
}
