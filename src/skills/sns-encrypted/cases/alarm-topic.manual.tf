# CloudWatch alarms page the on-call through this topic.
resource "aws_sns_topic" "alarms" {
  name = "alarms"
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "api-errors"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  metric_name         = "5XXError"
  namespace           = "AWS/ApiGateway"
  period              = 60
  statistic           = "Sum"
  threshold           = 5
  alarm_actions       = [aws_sns_topic.alarms.arn]
}
