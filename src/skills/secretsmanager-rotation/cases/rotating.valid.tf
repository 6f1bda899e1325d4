resource "aws_secretsmanager_secret" "db" {
  name = "prod/billing/db"
}

resource "aws_secretsmanager_secret_rotation" "billing" {
  secret_id           = "prod/billing/db"
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:111122223333:function:rotate-postgres"

  rotation_rules {
    schedule_expression = "rate(30 days)"
  }
}
