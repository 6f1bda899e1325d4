resource "aws_dynamodb_table" "ledger" {
  name                        = "ledger"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "entry_id"
  deletion_protection_enabled = true

  attribute {
    name = "entry_id"
    type = "S"
  }
}

module "wishlists" {
  source  = "terraform-aws-modules/dynamodb-table/aws"
  version = "~> 5.0"

  name     = "wishlists"
  hash_key = "user_id"
  attributes = [
    { name = "user_id", type = "S" },
  ]
}
