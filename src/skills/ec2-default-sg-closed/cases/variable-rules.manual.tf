variable "vpc_id" {
  type = string
}

variable "default_ingress" {
  description = "Rules for the default security group, per environment"
  type = list(object({
    description      = string
    protocol         = string
    from_port        = number
    to_port          = number
    self             = bool
    cidr_blocks      = list(string)
    ipv6_cidr_blocks = list(string)
    prefix_list_ids  = list(string)
    security_groups  = list(string)
  }))
}

resource "aws_vpc" "sandbox" {
  cidr_block = "172.16.0.0/16"
}

resource "aws_default_security_group" "this" {
  vpc_id  = var.vpc_id
  ingress = var.default_ingress
  egress  = []
}
