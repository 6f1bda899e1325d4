resource "aws_kms_key" "payments_db" {
  description         = "Payments database storage"
  enable_key_rotation = true
}

resource "aws_db_instance" "payments" {
  identifier                  = "payments"
  engine                      = "mysql"
  engine_version              = "8.0.42"
  instance_class              = "db.t4g.large"
  allocated_storage           = 100
  username                    = "payments"
  manage_master_user_password = true
  # The key alone does not encrypt: storage_encrypted must say so.
  kms_key_id          = aws_kms_key.payments_db.arn
  skip_final_snapshot = true
  storage_encrypted   = true
}
