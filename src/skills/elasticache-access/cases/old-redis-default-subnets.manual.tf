# Created in 2019; the app team owns the migration.
resource "aws_elasticache_replication_group" "legacy" {
  replication_group_id = "legacy-sessions"
  description          = "Legacy sessions"
  engine               = "redis"
  engine_version       = "5.0.6"
  node_type            = "cache.m5.large"
  num_cache_clusters   = 2
}

resource "aws_elasticache_cluster" "pages" {
  cluster_id        = "pages"
  engine            = "memcached"
  node_type         = "cache.t4g.small"
  num_cache_nodes   = 2
  subnet_group_name = "default"
}
