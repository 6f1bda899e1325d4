module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 9.0"

  name    = "web"
  subnets = var.public_subnet_ids

  access_logs = {
    bucket  = "acme-elb-access-logs"
    enabled = false
  }
}
