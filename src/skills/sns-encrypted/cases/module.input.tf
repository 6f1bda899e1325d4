module "deploys_topic" {
  source  = "terraform-aws-modules/sns/aws"
  version = "~> 6.0"

  name = "deploys"
}
