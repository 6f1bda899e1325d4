module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 3.19"

  name = "staging"
  cidr = "10.30.0.0/16"

  azs             = ["eu-west-1a", "eu-west-1b"]
  private_subnets = ["10.30.1.0/24", "10.30.2.0/24"]
  public_subnets  = ["10.30.101.0/24", "10.30.102.0/24"]

  enable_nat_gateway      = true
  map_public_ip_on_launch = false
}

module "vpc_prod" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"

  name = "prod"
  cidr = "10.40.0.0/16"

  azs                     = ["eu-west-1a", "eu-west-1b"]
  public_subnets          = ["10.40.101.0/24", "10.40.102.0/24"]
  map_public_ip_on_launch = false # legacy bastion, see OPS-77
}
