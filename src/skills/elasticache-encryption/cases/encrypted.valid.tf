resource "aws_elasticache_replication_group" "carts" {
  replication_group_id       = "carts"
  description                = "Shopping carts"
  engine_version             = "7.1"
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = 2
  at_rest_encryption_enabled = true
  kms_key_id                 = "arn:aws:kms:us-east-1:111122223333:key/1a2b3c4d-5e6f-4a5b-9c8d-7e6f5a4b3c2d"
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
}
