resource "aws_ebs_encryption_by_default" "positive1" {
  enabled = false
}