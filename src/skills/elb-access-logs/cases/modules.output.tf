module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 8.0"

  name    = "web"
  vpc_id  = var.vpc_id
  subnets = var.public_subnet_ids

  access_logs = {
    bucket = "acme-elb-access-logs"
  }
}

module "elb_http" {
  source  = "terraform-aws-modules/elb/aws"
  version = "3.0.1"

  name    = "legacy"
  subnets = var.public_subnet_ids
  access_logs = {
    bucket = "acme-elb-access-logs"
  }
}

# Network Load Balancers are not evaluated by ELB.5.
module "nlb" {
  source             = "terraform-aws-modules/alb/aws"
  name               = "tcp"
  load_balancer_type = "network"
  subnets            = var.public_subnet_ids
}
