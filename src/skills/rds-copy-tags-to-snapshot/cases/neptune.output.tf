resource "aws_neptune_cluster" "graph" {
  cluster_identifier                  = "graph"
  engine                              = "neptune"
  iam_database_authentication_enabled = true
  storage_encrypted                   = true
  deletion_protection                 = true

  tags = {
    team = "recommendations"
  }
  copy_tags_to_snapshot = true
}
