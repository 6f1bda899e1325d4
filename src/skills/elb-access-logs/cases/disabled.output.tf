variable "public_subnet_ids" {
  type = list(string)
}

variable "private_subnet_ids" {
  type = list(string)
}

resource "aws_s3_bucket" "lb_logs" {
  bucket = "acme-lb-logs"
}

# Logs were set up, then never turned on: enabled defaults to false.
resource "aws_lb" "api" {
  name    = "api"
  subnets = var.public_subnet_ids

  access_logs {
    bucket  = aws_s3_bucket.lb_logs.id
    prefix  = "api"
    enabled = true
  }
}

resource "aws_alb" "admin" {
  name     = "admin"
  internal = true
  subnets  = var.private_subnet_ids

  access_logs {
    bucket  = aws_s3_bucket.lb_logs.id
    enabled = true
  }
}

resource "aws_elb" "old" {
  name               = "old"
  availability_zones = ["us-east-1a"]

  listener {
    instance_port     = 80
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }

  access_logs {
    bucket  = "acme-lb-logs"
    enabled = true
  }
}
