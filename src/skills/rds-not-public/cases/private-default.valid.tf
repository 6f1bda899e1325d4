locals {
  expose = false
}

resource "aws_db_instance" "billing" {
  identifier                  = "billing"
  engine                      = "postgres"
  instance_class              = "db.t4g.small"
  allocated_storage           = 20
  username                    = "billing"
  manage_master_user_password = true
  storage_encrypted           = true
}

resource "aws_rds_cluster_instance" "billing_reader" {
  cluster_identifier  = "billing-cluster"
  engine              = "aurora-mysql"
  instance_class      = "db.r7g.large"
  publicly_accessible = local.expose
}
