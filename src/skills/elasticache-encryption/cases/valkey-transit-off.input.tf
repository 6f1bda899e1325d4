resource "aws_elasticache_replication_group" "queue" {
  replication_group_id       = "jobs"
  description                = "Job queue"
  engine                     = "valkey"
  engine_version             = "8.0"
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = 2
  transit_encryption_enabled = false
}
