# Product catalogue, read by the storefront.
resource "aws_docdb_cluster" "catalog" {
  cluster_identifier              = "catalog"
  engine                          = "docdb"
  master_username                 = "catalog"
  manage_master_user_password     = true
  backup_retention_period         = 7
  skip_final_snapshot             = false
  final_snapshot_identifier       = "catalog-final"
  enabled_cloudwatch_logs_exports = ["audit"]
}

resource "aws_neptune_cluster" "graph" {
  cluster_identifier                  = "graph"
  engine                              = "neptune"
  iam_database_authentication_enabled = true
  storage_encrypted                   = false
  skip_final_snapshot                 = true
}
