module "runner" {
  source  = "terraform-aws-modules/ec2-instance/aws"
  version = "~> 5.6"

  name                        = "ci-runner"
  instance_type               = "c6i.large"
  subnet_id                   = "subnet-0a1b2c3d4e5f60718"
  associate_public_ip_address = true
}
