variable "auto_upgrade" {
  type    = bool
  default = false
}

resource "aws_elasticache_cluster" "tokens" {
  cluster_id                 = "tokens"
  engine                     = "valkey"
  node_type                  = "cache.t4g.small"
  num_cache_nodes            = 1
  auto_minor_version_upgrade = var.auto_upgrade
}

resource "aws_elasticache_replication_group" "carts" {
  replication_group_id       = "carts"
  description                = "Shopping carts"
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = 2
  auto_minor_version_upgrade = "false" # pinned during the 7.1 migration
}
