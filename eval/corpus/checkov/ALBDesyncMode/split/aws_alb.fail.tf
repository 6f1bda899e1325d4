resource "aws_alb" "fail" {
  internal           = false
  load_balancer_type = "application"
  name               = "alb"
  subnets            = var.public_subnet_ids
  drop_invalid_header_fields = true
  desync_mitigation_mode = "monitor"
}
