# The platform cluster; CI deploys from runners inside the VPC.
resource "aws_eks_cluster" "platform" {
  name     = "platform"
  role_arn = aws_iam_role.cluster.arn
  version  = "1.31"

  vpc_config {
    subnet_ids              = var.private_subnet_ids
    endpoint_public_access  = false
    endpoint_private_access = true
  }
}

variable "private_subnet_ids" {
  type = list(string)
}

resource "aws_iam_role" "cluster" {
  name = "platform-cluster"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "eks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
