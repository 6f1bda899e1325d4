module "legacy_db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 3.5"

  identifier        = "legacy"
  engine            = "mysql"
  engine_version    = "5.7.44"
  instance_class    = "db.t3.medium"
  allocated_storage = 20
  family            = "mysql5.7"

  major_engine_version = "5.7"
  name                 = "legacy"
  username             = "legacy"
  password             = var.legacy_password
  storage_encrypted    = true
}

variable "legacy_password" {
  type      = string
  sensitive = true
}
