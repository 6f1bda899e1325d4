variable "analytics_public" {
  description = "Expose the analytics reader to the internet."
  type        = bool
  default     = true
}

resource "aws_rds_cluster" "analytics" {
  cluster_identifier          = "analytics"
  engine                      = "aurora-postgresql"
  master_username             = "analytics"
  manage_master_user_password = true
  storage_encrypted           = true
  skip_final_snapshot         = true
}

resource "aws_rds_cluster_instance" "analytics_reader" {
  identifier          = "analytics-reader"
  cluster_identifier  = aws_rds_cluster.analytics.id
  engine              = aws_rds_cluster.analytics.engine
  instance_class      = "db.r7g.large"
  publicly_accessible = false
}
