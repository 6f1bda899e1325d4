resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

resource "aws_ebs_volume" "logs" {
  availability_zone = "eu-west-1b"
  size              = 100
  encrypted         = true
}
