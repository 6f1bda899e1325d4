resource "aws_secretsmanager_secret" "api_key" {
  name = "prod/partner/api-key"
}

resource "aws_secretsmanager_secret_rotation" "api_key" {
  secret_id           = aws_secretsmanager_secret.api_key.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:111122223333:function:rotate-secrets"

  rotation_rules {
    automatically_after_days = 30
  }
}

resource "aws_secretsmanager_secret" "db" {
  name = "prod/orders/db"
}

resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:111122223333:function:rotate-postgres"

  rotation_rules {
    automatically_after_days = 14
  }
}
