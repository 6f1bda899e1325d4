resource "aws_docdb_cluster" "catalog" {
  cluster_identifier  = "catalog"
  engine              = "docdb"
  master_username     = "catalog"
  master_password     = "change-me-please"
  storage_encrypted   = true
  skip_final_snapshot = false
}

resource "aws_neptune_cluster" "graph" {
  cluster_identifier                  = "graph"
  engine                              = "neptune"
  iam_database_authentication_enabled = true
  storage_encrypted                   = true
  deletion_protection                 = "false"
}
