variable "ebs_default_encryption" {
  type        = bool
  description = "Turn on EBS encryption by default"
}

resource "aws_ebs_encryption_by_default" "this" {
  enabled = var.ebs_default_encryption
}
