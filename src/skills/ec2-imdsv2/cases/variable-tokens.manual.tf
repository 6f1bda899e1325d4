variable "http_tokens" {
  type        = string
  description = "IMDS token mode, set per environment"
}

resource "aws_instance" "ingest" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.medium"

  metadata_options {
    http_tokens = var.http_tokens
  }
}
