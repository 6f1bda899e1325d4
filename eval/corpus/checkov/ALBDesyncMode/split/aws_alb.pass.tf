resource "aws_alb" "pass" {
  internal           = false
  load_balancer_type = "application"
  name               = "alb"
  subnets            = var.public_subnet_ids
  drop_invalid_header_fields = true
}
