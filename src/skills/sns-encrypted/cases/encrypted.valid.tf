resource "aws_kms_key" "topics" {
  description = "SNS topics"
}

resource "aws_sns_topic" "alerts" {
  name              = "alerts"
  kms_master_key_id = aws_kms_key.topics.arn
}

resource "aws_sns_topic" "events" {
  name              = "events"
  kms_master_key_id = "alias/aws/sns"
}
