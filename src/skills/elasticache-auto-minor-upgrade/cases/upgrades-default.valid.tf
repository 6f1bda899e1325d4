resource "aws_elasticache_replication_group" "carts" {
  replication_group_id = "carts"
  description          = "Shopping carts"
  node_type            = "cache.r7g.large"
  num_cache_clusters   = 2
}

resource "aws_elasticache_cluster" "pages" {
  cluster_id                 = "pages"
  engine                     = "memcached"
  node_type                  = "cache.t4g.small"
  num_cache_nodes            = 2
  auto_minor_version_upgrade = false
}
