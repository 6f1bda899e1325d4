module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name               = "platform"
  kubernetes_version = "1.33"
  vpc_id             = "vpc-0a1b2c3d"
  subnet_ids         = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}
