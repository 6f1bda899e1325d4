variable "public" {
  type = bool
}

resource "aws_db_instance" "sandbox" {
  identifier                  = "sandbox"
  engine                      = "mariadb"
  instance_class              = "db.t4g.micro"
  allocated_storage           = 20
  username                    = "sandbox"
  manage_master_user_password = true
  publicly_accessible         = var.public
}
