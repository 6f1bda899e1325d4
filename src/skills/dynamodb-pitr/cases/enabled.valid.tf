locals {
  backups = true
}

resource "aws_dynamodb_table" "ledger" {
  name         = "ledger"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "entry_id"

  attribute {
    name = "entry_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled                 = local.backups
    recovery_period_in_days = 14
  }

  replica {
    region_name            = "eu-central-1"
    point_in_time_recovery = true
  }
}
