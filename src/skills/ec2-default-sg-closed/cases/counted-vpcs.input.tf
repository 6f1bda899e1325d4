variable "environments" {
  type    = list(string)
  default = ["staging", "production"]
}

resource "aws_vpc" "env" {
  count      = length(var.environments)
  cidr_block = cidrsubnet("10.0.0.0/8", 8, count.index)

  tags = {
    Name = var.environments[count.index]
  }
}

resource "aws_default_security_group" "legacy" {
  vpc_id = "vpc-0f1e2d3c4b5a69788"
  tags   = { Name = "legacy-default" }
}
