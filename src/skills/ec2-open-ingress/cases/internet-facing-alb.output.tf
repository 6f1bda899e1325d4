# The public web tier: clients reach the ALB on HTTPS only.
resource "aws_security_group" "web_lb" {
  name        = "web-lb"
  description = "Public web load balancer"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description      = "Everything, set up in a hurry"
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
  security_groups    = [aws_security_group.web_lb.id]
  subnets            = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666"

  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/0a1b2c3d4e5f6071"
  }
}

# The internal API tier: its load balancer is not reachable from the internet.
resource "aws_security_group" "api_lb" {
  name   = "api-lb"
  vpc_id = "vpc-0a1b2c3d4e5f60718"

  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_lb" "api" {
  name            = "api"
  internal        = true
  security_groups = [aws_security_group.api_lb.id]
  subnets         = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
}
