module "billing_db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.10"

  identifier            = "billing"
  engine                = "mysql"
  engine_version        = "8.0.42"
  family                = "mysql8.0"
  major_engine_version  = "8.0"
  instance_class        = "db.m7g.large"
  allocated_storage     = 100
  username              = "billing"
  copy_tags_to_snapshot = true
}

module "events_db" {
  source  = "terraform-aws-modules/rds-aurora/aws"
  version = "~> 9.0"

  name                  = "events"
  engine                = "aurora-mysql"
  copy_tags_to_snapshot = true
}
