locals {
  # Upgrades are scheduled by the DBA team.
  minor_upgrades = false
}

resource "aws_db_instance" "crm" {
  identifier                  = "crm"
  engine                      = "mysql"
  engine_version              = "8.0.42"
  instance_class              = "db.m7g.large"
  allocated_storage           = 100
  username                    = "crm"
  manage_master_user_password = true
  auto_minor_version_upgrade  = false
  maintenance_window          = "sun:03:00-sun:04:00"
}

resource "aws_rds_cluster" "search" {
  cluster_identifier          = "search"
  engine                      = "aurora-postgresql"
  master_username             = "search"
  manage_master_user_password = true
}

resource "aws_rds_cluster_instance" "search" {
  count                      = 2
  identifier                 = "search-${count.index}"
  cluster_identifier         = aws_rds_cluster.search.id
  instance_class             = "db.r7g.large"
  engine                     = aws_rds_cluster.search.engine
  auto_minor_version_upgrade = local.minor_upgrades
}
