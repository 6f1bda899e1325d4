variable "cluster_id" {
  description = "Aurora cluster created by the platform stack."
  type        = string
}

resource "aws_rds_cluster_instance" "tenant_reader" {
  identifier         = "tenant-reader"
  cluster_identifier = var.cluster_id
  engine             = "aurora-postgresql"
  instance_class     = "db.r7g.large"
}
