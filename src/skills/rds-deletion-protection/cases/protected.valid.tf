resource "aws_db_instance" "ledger" {
  identifier                  = "ledger"
  engine                      = "postgres"
  instance_class              = "db.m7g.large"
  allocated_storage           = 100
  username                    = "ledger"
  manage_master_user_password = true
  deletion_protection         = true
}

resource "aws_rds_cluster" "sessions" {
  cluster_identifier          = "sessions"
  engine                      = "aurora-mysql"
  master_username             = "sessions"
  manage_master_user_password = true
  deletion_protection         = true
}

resource "aws_rds_cluster_instance" "sessions" {
  identifier         = "sessions-1"
  cluster_identifier = aws_rds_cluster.sessions.id
  instance_class     = "db.r7g.large"
  engine             = "aurora-mysql"
}

module "search_db" {
  source  = "terraform-aws-modules/rds-aurora/aws"
  version = "~> 9.0"

  name                = "search"
  engine              = "aurora-postgresql"
  deletion_protection = true
}
