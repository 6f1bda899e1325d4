variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name                   = "platform"
  cluster_version                = "1.31"
  cluster_endpoint_public_access = false
  vpc_id                         = var.vpc_id
  subnet_ids                     = var.subnet_ids
}
