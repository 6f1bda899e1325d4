resource "aws_subnet" "app" {
  vpc_id     = "vpc-0123456789abcdef0"
  cidr_block = "10.20.10.0/24"
}

resource "aws_subnet" "edge" {
  vpc_id                  = "vpc-0123456789abcdef0"
  cidr_block              = "10.20.100.0/24"
  map_public_ip_on_launch = false
}

resource "aws_default_subnet" "b" {
  availability_zone       = "eu-west-1b"
  map_public_ip_on_launch = false
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name           = "shared"
  cidr           = "10.50.0.0/16"
  azs            = ["eu-west-1a"]
  public_subnets = ["10.50.101.0/24"]
}
