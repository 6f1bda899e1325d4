resource "aws_elasticache_replication_group" "secondary" {
  replication_group_id        = "carts-eu"
  description                 = "Shopping carts, Europe"
  global_replication_group_id = "ldgnf-carts"
  num_cache_clusters          = 2
}
