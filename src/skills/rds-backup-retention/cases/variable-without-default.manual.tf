variable "backup_retention_period" {
  type = number
}

resource "aws_db_instance" "inventory" {
  identifier                  = "inventory"
  engine                      = "mariadb"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "inventory"
  manage_master_user_password = true
  backup_retention_period     = var.backup_retention_period
}
