resource "aws_kms_key" "efs" {
  description         = "EFS data"
  enable_key_rotation = true
}

resource "aws_efs_file_system" "media" {
  creation_token = "media"
  encrypted      = true
  kms_key_id     = aws_kms_key.efs.arn
}

# The module encrypts by default.
module "efs" {
  source  = "terraform-aws-modules/efs/aws"
  version = "~> 1.6"

  name = "shared"
}
