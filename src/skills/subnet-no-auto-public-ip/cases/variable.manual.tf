variable "public_ips" {
  type = bool
}

resource "aws_subnet" "this" {
  vpc_id                  = "vpc-0123456789abcdef0"
  cidr_block              = "10.20.30.0/24"
  map_public_ip_on_launch = var.public_ips
}
