module "carts" {
  source  = "terraform-aws-modules/dynamodb-table/aws"
  version = "~> 3.3"

  name     = "carts"
  hash_key = "cart_id"
  attributes = [
    { name = "cart_id", type = "S" },
  ]
}
