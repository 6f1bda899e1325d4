# Shared services network.
resource "aws_vpc" "shared" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_hostnames = true

  tags = {
    Name = "shared-services"
  }
}

resource "aws_default_security_group" "shared" {
  vpc_id  = aws_vpc.shared.id
  ingress = []
  egress  = []
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.shared.id
  cidr_block        = "10.40.1.0/24"
  availability_zone = "eu-west-1a"
}
