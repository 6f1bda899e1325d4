variable "protect_databases" {
  description = "Whether databases refuse deletion"
  type        = bool
  default     = false
}

module "billing_db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.10"

  identifier        = "billing"
  engine            = "mysql"
  engine_version    = "8.0.42"
  instance_class    = "db.m7g.large"
  allocated_storage = 100
  family            = "mysql8.0"

  major_engine_version = "8.0"
  username             = "billing"

  deletion_protection = true
}

module "events_db" {
  source  = "terraform-aws-modules/rds-aurora/aws"
  version = "~> 9.0"

  name           = "events"
  engine         = "aurora-mysql"
  engine_version = "8.0.mysql_aurora.3.08.0"
  instances = {
    one = { instance_class = "db.r7g.large" }
  }
  deletion_protection = true
}
