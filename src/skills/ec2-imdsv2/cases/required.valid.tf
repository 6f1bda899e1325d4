locals {
  imds = "required"
}

resource "aws_launch_template" "api" {
  name_prefix   = "api-"
  image_id      = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.medium"

  metadata_options {
    http_tokens = local.imds
  }
}

# Takes its metadata options from the launch template.
resource "aws_instance" "api" {
  launch_template {
    id      = aws_launch_template.api.id
    version = "$Latest"
  }
}

resource "aws_instance" "cache" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "r6g.large"

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }
}

module "reporting" {
  source  = "terraform-aws-modules/ec2-instance/aws"
  version = "6.0.2"

  name          = "reporting"
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.large"
}
