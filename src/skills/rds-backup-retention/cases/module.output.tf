variable "backup_days" {
  description = "Days of automated backups"
  type        = number
  default     = 3
}

module "billing_db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.10"

  identifier           = "billing"
  engine               = "mysql"
  engine_version       = "8.0.42"
  family               = "mysql8.0"
  major_engine_version = "8.0"
  instance_class       = "db.m7g.large"
  allocated_storage    = 100
  username             = "billing"

  backup_retention_period = 7
}

module "billing_replica" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.10"

  identifier           = "billing-replica"
  replicate_source_db  = module.billing_db.db_instance_identifier
  engine               = "mysql"
  engine_version       = "8.0.42"
  family               = "mysql8.0"
  major_engine_version = "8.0"
  instance_class       = "db.m7g.large"
}
