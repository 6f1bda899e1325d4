# Restored from the nightly snapshot of the old graph.
resource "aws_neptune_cluster" "graph_restore" {
  cluster_identifier  = "graph-restore"
  engine              = "neptune"
  snapshot_identifier = "graph-nightly-2026-11-30"
  skip_final_snapshot = true
}
