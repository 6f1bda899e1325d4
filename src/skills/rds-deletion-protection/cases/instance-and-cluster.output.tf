# Orders: the PostgreSQL instance the checkout service writes to.
resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  engine_version              = "16.8"
  instance_class              = "db.m7g.large"
  allocated_storage           = 200
  username                    = "orders_admin"
  manage_master_user_password = true
  storage_encrypted           = true
  backup_retention_period     = 7
  skip_final_snapshot         = false
  final_snapshot_identifier   = "orders-final"
  deletion_protection         = true
}

resource "aws_rds_cluster" "reporting" {
  cluster_identifier          = "reporting"
  engine                      = "aurora-postgresql"
  engine_version              = "16.6"
  master_username             = "reporting"
  manage_master_user_password = true
  storage_encrypted           = true
  deletion_protection         = true # turned off for the 2024 migration
}

# Aurora instances are protected through their cluster.
resource "aws_rds_cluster_instance" "reporting" {
  count              = 2
  identifier         = "reporting-${count.index}"
  cluster_identifier = aws_rds_cluster.reporting.id
  instance_class     = "db.r7g.large"
  engine             = aws_rds_cluster.reporting.engine
}
