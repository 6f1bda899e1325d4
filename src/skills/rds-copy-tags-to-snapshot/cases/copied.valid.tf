resource "aws_db_instance" "ledger" {
  identifier                  = "ledger"
  engine                      = "postgres"
  instance_class              = "db.m7g.large"
  allocated_storage           = 100
  username                    = "ledger"
  manage_master_user_password = true
  copy_tags_to_snapshot       = true
}

resource "aws_rds_cluster" "sessions" {
  cluster_identifier          = "sessions"
  engine                      = "aurora-mysql"
  master_username             = "sessions"
  manage_master_user_password = true
  copy_tags_to_snapshot       = true
}

resource "aws_rds_cluster_instance" "sessions_writer" {
  identifier         = "sessions-writer"
  cluster_identifier = aws_rds_cluster.sessions.id
  engine             = "aurora-mysql"
  instance_class     = "db.r7g.large"
}
