# Credentials of the reporting database user.
resource "aws_secretsmanager_secret" "reporting_db" {
  name        = "prod/reporting/db"
  description = "Reporting database credentials"
  kms_key_id  = aws_kms_key.secrets.arn
}

resource "aws_secretsmanager_secret_rotation" "reporting_db" {
  secret_id           = aws_secretsmanager_secret.reporting_db.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:111122223333:function:rotate-secrets"

  rotation_rules {
    automatically_after_days = 30
  }
}

resource "aws_kms_key" "secrets" {
  description = "Secrets"
}

resource "aws_secretsmanager_secret_version" "reporting_db" {
  secret_id = aws_secretsmanager_secret.reporting_db.id
  secret_string = jsonencode({
    username = "reporting"
    password = var.reporting_password
  })
}

variable "reporting_password" {
  type      = string
  sensitive = true
}
