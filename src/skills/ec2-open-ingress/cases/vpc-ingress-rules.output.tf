variable "admin_port" {
  type    = number
  default = 3389
}

resource "aws_security_group" "windows" {
  name   = "windows-admin"
  vpc_id = "vpc-0a1b2c3d4e5f60718"
}

resource "aws_vpc_security_group_ingress_rule" "rdp" {
  security_group_id = aws_security_group.windows.id
  description       = "RDP for admins"
  cidr_ipv4         = "10.0.0.0/8"
  from_port         = var.admin_port
  to_port           = var.admin_port
  ip_protocol       = "tcp"
}

resource "aws_vpc_security_group_ingress_rule" "app" {
  security_group_id = aws_security_group.windows.id
  cidr_ipv4         = "10.0.0.0/8"
  from_port         = 8000
  to_port           = 8100
  ip_protocol       = "tcp"
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.windows.id
  cidr_ipv6         = "::/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}
