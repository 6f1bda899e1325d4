resource "aws_db_instance" "ledger" {
  identifier                  = "ledger"
  engine                      = "postgres"
  instance_class              = "db.m7g.large"
  allocated_storage           = 100
  username                    = "ledger"
  manage_master_user_password = true
  backup_retention_period     = 14
}

resource "aws_db_instance" "wiki" {
  identifier                  = "wiki"
  engine                      = "mariadb"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 20
  username                    = "wiki"
  manage_master_user_password = true
  backup_retention_period     = 7
}

resource "aws_db_instance" "wiki_replica" {
  identifier          = "wiki-replica"
  replicate_source_db = aws_db_instance.wiki.identifier
  instance_class      = "db.t4g.medium"
}

# Aurora keeps backups per cluster (RDS.11 does not evaluate the instance).
resource "aws_rds_cluster_instance" "search" {
  identifier         = "search-1"
  cluster_identifier = "search"
  instance_class     = "db.r7g.large"
  engine             = "aurora-postgresql"
}
