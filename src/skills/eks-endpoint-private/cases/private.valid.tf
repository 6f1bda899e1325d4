variable "subnet_ids" {
  type = list(string)
}

variable "cluster_role_arn" {
  type = string
}

resource "aws_eks_cluster" "internal" {
  name     = "internal"
  role_arn = var.cluster_role_arn

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = false
  }
}
