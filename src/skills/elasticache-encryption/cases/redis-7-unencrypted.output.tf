locals {
  name = "inventory"
}

# Stock counts, rebuilt from the warehouse feed on a cold start.
resource "aws_elasticache_replication_group" "inventory" {
  replication_group_id       = local.name
  description                = "Stock counts"
  engine_version             = "7.1"
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = 3
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  transit_encryption_mode    = "preferred"
}
