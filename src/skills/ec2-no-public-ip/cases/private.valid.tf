variable "subnet_id" {
  type = string
}

resource "aws_instance" "app" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "m6i.large"
  subnet_id     = var.subnet_id
}

resource "aws_instance" "pinned" {
  ami                         = "ami-0c55b159cbfafe1f0"
  instance_type               = "m6i.large"
  associate_public_ip_address = false
}

module "runner" {
  source  = "terraform-aws-modules/ec2-instance/aws"
  version = "~> 5.6"

  name      = "ci-runner"
  subnet_id = "subnet-0a1b2c3d4e5f60718"
}
