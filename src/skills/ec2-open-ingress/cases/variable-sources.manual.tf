variable "admin_cidrs" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}

variable "mysql_sources" {
  type = list(string)
}

variable "app_port" {
  type = number
}

variable "extra_ingress" {
  type = list(object({
    port = number
    cidr = string
  }))
  default = []
}

resource "aws_security_group" "admin" {
  name   = "admin"
  vpc_id = "vpc-0a1b2c3d4e5f60718"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.admin_cidrs
  }

  ingress {
    from_port   = var.app_port
    to_port     = var.app_port
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  dynamic "ingress" {
    for_each = var.extra_ingress
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
    }
  }
}

resource "aws_security_group_rule" "mysql" {
  type              = "ingress"
  security_group_id = aws_security_group.admin.id
  from_port         = 3306
  to_port           = 3306
  protocol          = "tcp"
  cidr_blocks       = var.mysql_sources
}

resource "aws_vpc_security_group_ingress_rule" "ssh_v6" {
  security_group_id = aws_security_group.admin.id
  cidr_ipv6         = "::/0"
  from_port         = 22
  to_port           = 22
  ip_protocol       = "tcp"
}
