module "efs" {
  source  = "terraform-aws-modules/efs/aws"
  version = "~> 1.6"

  name           = "ci-cache"
  creation_token = "ci-cache"
  encrypted      = true

  mount_targets = {
    "eu-west-1a" = { subnet_id = "subnet-0a1b2c3d4e5f60718" }
  }
  security_group_vpc_id = "vpc-0123456789abcdef0"
}
