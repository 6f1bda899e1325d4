resource "aws_elasticache_subnet_group" "private" {
  name       = "cache-private"
  subnet_ids = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "Sessions"
  engine_version       = "7.1"
  node_type            = "cache.r7g.large"
  num_cache_clusters   = 2
  subnet_group_name    = aws_elasticache_subnet_group.private.name
  user_group_ids       = ["sessions-users"]
}
