locals {
  postgres_port = 5432
}

resource "aws_security_group" "db" {
  name   = "orders-db"
  vpc_id = "vpc-0a1b2c3d4e5f60718"
}

# Reporting tool runs from the office and from a SaaS vendor.
resource "aws_security_group_rule" "db_reporting" {
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  from_port         = local.postgres_port
  to_port           = local.postgres_port
  protocol          = "tcp"
  cidr_blocks       = ["192.168.10.0/24", "0.0.0.0/0"]
  ipv6_cidr_blocks  = ["::/0"]
}

resource "aws_security_group_rule" "db_egress" {
  type              = "egress"
  security_group_id = aws_security_group.db.id
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group" "workers" {
  name   = "workers"
  vpc_id = "vpc-0a1b2c3d4e5f60718"

  ingress {
    from_port = 0
    to_port   = 0
    protocol  = "-1"
    cidr_blocks = [
      "0.0.0.0/0",
      "172.16.0.0/12", # peered VPCs
    ]
  }

  ingress {
    from_port = 53
    to_port   = 53
    protocol  = "udp"
    self      = true
  }
}
