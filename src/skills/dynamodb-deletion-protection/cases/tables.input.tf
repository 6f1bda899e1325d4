# Orders, written by the checkout service.
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "order_id"

  attribute {
    name = "order_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_dynamodb_table" "sessions" {
  name                        = "sessions"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "session_id"
  deletion_protection_enabled = false

  attribute {
    name = "session_id"
    type = "S"
  }
}

resource "aws_dynamodb_table_replica" "sessions_eu" {
  global_table_arn = aws_dynamodb_table.sessions.arn
}
