resource "aws_lb" "pass" {
  internal           = false
  load_balancer_type = "application"
  name               = "alb"
  subnets            = var.public_subnet_ids
  desync_mitigation_mode = "strictest"
  drop_invalid_header_fields = true
}
