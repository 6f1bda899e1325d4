resource "aws_rds_cluster" "inventory" {
  cluster_identifier          = "inventory"
  engine                      = "aurora-mysql"
  engine_version              = "8.0.mysql_aurora.3.10.2"
  master_username             = "inventory"
  manage_master_user_password = true
  backup_retention_period     = 14
  skip_final_snapshot         = true
}

resource "aws_rds_cluster_instance" "inventory" {
  count              = 2
  identifier         = "inventory-${count.index}"
  cluster_identifier = aws_rds_cluster.inventory.id
  engine             = aws_rds_cluster.inventory.engine
  instance_class     = "db.r7g.large"
}
