resource "aws_dax_cluster" "sessions" {
  cluster_name       = "sessions"
  iam_role_arn       = "arn:aws:iam::111122223333:role/dax-sessions"
  node_type          = "dax.t3.small"
  replication_factor = 1

  server_side_encryption {
    enabled = false
  }
}
