resource "aws_sqs_queue" "dead_letters" {
  name                    = "orders-dlq"
  sqs_managed_sse_enabled = true
}

resource "aws_sqs_queue" "orders" {
  name                    = "orders"
  sqs_managed_sse_enabled = true
  kms_master_key_id       = null
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letters.arn
    maxReceiveCount     = 5
  })
}
