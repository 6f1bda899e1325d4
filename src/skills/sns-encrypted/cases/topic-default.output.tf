# Order events, published by the order service.
resource "aws_sns_topic" "orders" {
  name = "order-events"

  tags = {
    team = "checkout"
  }
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sqs_queue" "billing" {
  name = "billing"
}

resource "aws_sns_topic_subscription" "billing" {
  topic_arn = aws_sns_topic.orders.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.billing.arn
}
