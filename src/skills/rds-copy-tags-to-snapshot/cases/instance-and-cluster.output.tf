resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  engine_version              = "16.8"
  instance_class              = "db.m7g.large"
  allocated_storage           = 200
  username                    = "orders_admin"
  manage_master_user_password = true
  backup_retention_period     = 7

  tags = {
    team       = "checkout"
    data-class = "confidential"
  }
  copy_tags_to_snapshot = true
}

resource "aws_rds_cluster" "reporting" {
  cluster_identifier          = "reporting"
  engine                      = "aurora-postgresql"
  master_username             = "reporting"
  manage_master_user_password = true
  copy_tags_to_snapshot       = true

  tags = {
    team = "analytics"
  }
}

# The cluster's flag decides for its instances.
resource "aws_rds_cluster_instance" "reporting" {
  identifier         = "reporting-1"
  cluster_identifier = aws_rds_cluster.reporting.id
  instance_class     = "db.r7g.large"
  engine             = aws_rds_cluster.reporting.engine
}
