resource "aws_elasticache_cluster" "leaderboard" {
  cluster_id               = "leaderboard"
  engine                   = "redis"
  node_type                = "cache.t4g.small"
  num_cache_nodes          = 1
  snapshot_retention_limit = 7
}

# Memcached keeps no backups: not evaluated.
resource "aws_elasticache_cluster" "page_cache" {
  cluster_id      = "page-cache"
  engine          = "memcached"
  node_type       = "cache.t4g.small"
  num_cache_nodes = 2
}
