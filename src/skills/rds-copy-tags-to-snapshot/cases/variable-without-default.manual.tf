variable "copy_tags" {
  type = bool
}

resource "aws_rds_cluster" "inventory" {
  cluster_identifier          = "inventory"
  engine                      = "aurora-mysql"
  master_username             = "inventory"
  manage_master_user_password = true
  copy_tags_to_snapshot       = var.copy_tags
}
