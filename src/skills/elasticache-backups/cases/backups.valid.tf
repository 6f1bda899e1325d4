resource "aws_elasticache_replication_group" "queue" {
  replication_group_id     = "jobs"
  description              = "Job queue"
  engine                   = "valkey"
  node_type                = "cache.r7g.large"
  num_cache_clusters       = 2
  snapshot_retention_limit = 14
  snapshot_window          = "03:00-04:00"
}

resource "aws_elasticache_cluster" "queue_replica" {
  cluster_id           = "jobs-003"
  replication_group_id = aws_elasticache_replication_group.queue.id
}
