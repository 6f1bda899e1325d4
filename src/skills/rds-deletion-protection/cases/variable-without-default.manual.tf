variable "deletion_protection" {
  description = "Set per environment"
  type        = bool
}

resource "aws_db_instance" "inventory" {
  identifier                  = "inventory"
  engine                      = "mariadb"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "inventory"
  manage_master_user_password = true
  deletion_protection         = var.deletion_protection
}
