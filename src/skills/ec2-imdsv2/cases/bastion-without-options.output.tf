# Jump host for the operations team.
resource "aws_instance" "bastion" {
  ami                    = "ami-0c55b159cbfafe1f0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public.id
  vpc_security_group_ids = [aws_security_group.bastion.id]

  tags = {
    Name = "bastion"
  }

  metadata_options {
    http_tokens = "required"
  }
}

resource "aws_subnet" "public" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  cidr_block = "10.20.0.0/24"
}

resource "aws_security_group" "bastion" {
  name   = "bastion"
  vpc_id = "vpc-0a1b2c3d4e5f60718"
}
