variable "engine" {
  type = string
}

resource "aws_elasticache_cluster" "cache" {
  cluster_id      = "shared-cache"
  engine          = var.engine
  node_type       = "cache.t4g.small"
  num_cache_nodes = 1
}
