variable "subnet_ids" {
  type = list(string)
}

variable "cluster_role_arn" {
  type = string
}

resource "aws_eks_cluster" "data" {
  name     = "data"
  role_arn = var.cluster_role_arn

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = true
    public_access_cidrs     = ["203.0.113.0/24"]
  }
}
