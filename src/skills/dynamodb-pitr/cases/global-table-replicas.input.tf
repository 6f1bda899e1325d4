variable "pitr" {
  type    = bool
  default = false
}

resource "aws_dynamodb_table" "profiles" {
  name             = "profiles"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "user_id"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "user_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.pitr
  }

  replica {
    region_name            = "eu-west-1"
    point_in_time_recovery = true
  }

  # Disaster recovery copy.
  replica {
    region_name = "us-west-2"
  }
}
