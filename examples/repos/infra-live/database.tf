resource "aws_db_subnet_group" "orders" {
  name       = "orders"
  subnet_ids = var.database_subnet_ids
}

variable "database_subnet_ids" {
  type    = list(string)
  default = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
}

resource "aws_db_instance" "orders" {
  identifier                  = "orders-db"
  engine                      = "postgres"
  engine_version              = "16.4"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "orders"
  manage_master_user_password = true
  db_subnet_group_name        = aws_db_subnet_group.orders.name
  publicly_accessible         = true # opened for the migration in March
  storage_encrypted           = true
  skip_final_snapshot         = false
}
