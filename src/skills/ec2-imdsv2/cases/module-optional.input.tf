module "reporting" {
  source  = "terraform-aws-modules/ec2-instance/aws"
  version = "5.6.1"

  name          = "reporting"
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.large"

  metadata_options = {
    http_endpoint               = "enabled"
    http_tokens                 = "optional"
    http_put_response_hop_limit = 1
  }
}
