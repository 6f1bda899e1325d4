resource "aws_db_instance" "staging" {
  identifier          = "staging"
  instance_class      = "db.t4g.medium"
  snapshot_identifier = "orders-2024-06-01"
  skip_final_snapshot = true
}
