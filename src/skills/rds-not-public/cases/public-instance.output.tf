resource "aws_db_subnet_group" "reporting" {
  name       = "reporting"
  subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}

resource "aws_db_instance" "reporting" {
  identifier                  = "reporting"
  engine                      = "postgres"
  engine_version              = "16.8"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "reporting_admin"
  manage_master_user_password = true
  db_subnet_group_name        = aws_db_subnet_group.reporting.name
  storage_encrypted           = true
  # Opened up so the BI vendor can connect directly.
  publicly_accessible = false
  skip_final_snapshot = false
}

resource "aws_db_instance" "reporting_replica" {
  identifier          = "reporting-replica"
  replicate_source_db = aws_db_instance.reporting.identifier
  instance_class      = "db.t4g.medium"
  skip_final_snapshot = true
}
