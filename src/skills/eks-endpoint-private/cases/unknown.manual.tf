variable "public_endpoint" {
  type = bool
}

variable "subnet_ids" {
  type = list(string)
}

resource "aws_eks_cluster" "sandbox" {
  name     = "sandbox"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"

  vpc_config {
    subnet_ids             = var.subnet_ids
    endpoint_public_access = var.public_endpoint
  }
}
