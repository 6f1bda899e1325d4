resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

# Recreates what AWS puts in every default security group.
resource "aws_default_security_group" "main" {
  vpc_id = aws_vpc.main.id

  ingress = []

  egress = []

  tags = {
    Name = "main-default"
  }
}
