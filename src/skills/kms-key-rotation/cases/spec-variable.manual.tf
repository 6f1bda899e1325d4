variable "key_spec" {
  description = "Key spec chosen by the consuming team."
  type        = string
}

resource "aws_kms_key" "tenant" {
  description              = "Tenant key"
  customer_master_key_spec = var.key_spec
}
