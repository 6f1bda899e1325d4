locals {
  rotate = true
}

resource "aws_kms_key" "signing" {
  description              = "Release signing"
  customer_master_key_spec = "ECC_NIST_P256"
  key_usage                = "SIGN_VERIFY"
}

resource "aws_kms_key" "webhooks" {
  description              = "Webhook HMAC"
  customer_master_key_spec = "HMAC_256"
  key_usage                = "GENERATE_VERIFY_MAC"
}

resource "aws_kms_key" "hsm" {
  description         = "Key in the CloudHSM key store"
  custom_key_store_id = "cks-1234567890abcdef0"
}

resource "aws_kms_key" "data" {
  description         = "Data encryption"
  enable_key_rotation = local.rotate
}
