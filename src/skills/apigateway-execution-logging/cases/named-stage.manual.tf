resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = var.rest_api_id
  deployment_id = var.deployment_id
  stage_name    = "prod"
}

# Bound to the stage by its name, not by reference.
resource "aws_api_gateway_method_settings" "prod" {
  rest_api_id = var.rest_api_id
  stage_name  = "prod"
  method_path = "*/*"

  settings {
    logging_level = "OFF"
  }
}
