# Sessions for the web tier.
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "web-sessions"
  description                = "Web sessions"
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  snapshot_retention_limit   = 7
}
