variable "recovery" {
  type = list(bool)
}

resource "aws_dynamodb_table" "events" {
  name         = "events"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "event_id"

  attribute {
    name = "event_id"
    type = "S"
  }

  dynamic "point_in_time_recovery" {
    for_each = var.recovery
    content {
      enabled = point_in_time_recovery.value
    }
  }
}
