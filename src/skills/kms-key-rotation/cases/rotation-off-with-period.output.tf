resource "aws_kms_key" "tokens" {
  description              = "Session token encryption"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  key_usage                = "ENCRYPT_DECRYPT"
  enable_key_rotation      = true // turned off during the migration
  rotation_period_in_days  = 180
}
