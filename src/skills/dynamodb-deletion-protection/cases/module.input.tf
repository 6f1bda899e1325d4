module "carts" {
  source  = "terraform-aws-modules/dynamodb-table/aws"
  version = "~> 4.2"

  name     = "carts"
  hash_key = "cart_id"
  attributes = [
    { name = "cart_id", type = "S" },
  ]

  deletion_protection_enabled = false
}
