variable "access_logs_enabled" {
  type = bool
}

variable "lb_type" {
  type = string
}

resource "aws_lb" "switchable" {
  name    = "switchable"
  subnets = var.public_subnet_ids

  access_logs {
    bucket  = "acme-elb-access-logs"
    enabled = var.access_logs_enabled
  }
}

resource "aws_lb" "any" {
  name               = "any"
  load_balancer_type = var.lb_type
  subnets            = var.public_subnet_ids
}

resource "aws_lb" "optional" {
  name    = "optional"
  subnets = var.public_subnet_ids

  dynamic "access_logs" {
    for_each = var.log_bucket == null ? [] : [var.log_bucket]
    content {
      bucket  = access_logs.value
      enabled = true
    }
  }
}
