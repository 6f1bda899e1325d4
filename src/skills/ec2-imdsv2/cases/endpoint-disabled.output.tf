resource "aws_instance" "appliance" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.medium"

  # The appliance never reads instance metadata.
  metadata_options {
    http_endpoint = "disabled"
    http_tokens   = "required"
  }
}
