resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  engine_version              = "16.8"
  instance_class              = "db.m7g.large"
  allocated_storage           = 200
  username                    = "orders_admin"
  manage_master_user_password = true
  storage_encrypted           = true
  skip_final_snapshot         = false
  final_snapshot_identifier   = "orders-final"
}

# Read traffic from the reporting jobs: backups follow the source.
resource "aws_db_instance" "orders_replica" {
  identifier          = "orders-replica"
  replicate_source_db = aws_db_instance.orders.identifier
  instance_class      = "db.m7g.large"
  skip_final_snapshot = true
}

resource "aws_db_instance" "queue" {
  identifier                  = "queue"
  engine                      = "mysql"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 20
  username                    = "queue"
  manage_master_user_password = true
  backup_retention_period     = 0 # the queue can be rebuilt from the topic
  skip_final_snapshot         = true
}
