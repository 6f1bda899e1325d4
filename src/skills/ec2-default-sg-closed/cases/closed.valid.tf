resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_default_security_group" "main" {
  vpc_id  = aws_vpc.main.id
  ingress = []
  egress  = []
}

variable "regions" {
  type = map(string)
  default = {
    ireland   = "10.1.0.0/16"
    frankfurt = "10.2.0.0/16"
  }
}

resource "aws_vpc" "regional" {
  for_each   = var.regions
  cidr_block = each.value
}

# One per regional VPC.
resource "aws_default_security_group" "regional" {
  for_each = aws_vpc.regional
  vpc_id   = each.value.id
  ingress  = []
  egress   = []
}
