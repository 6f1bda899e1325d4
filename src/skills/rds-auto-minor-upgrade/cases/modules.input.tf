module "crm_db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.10"

  identifier           = "crm"
  engine               = "postgres"
  engine_version       = "16.8"
  family               = "postgres16"
  major_engine_version = "16"
  instance_class       = "db.m7g.large"
  allocated_storage    = 100
  username             = "crm"

  auto_minor_version_upgrade = false
}

module "events_db" {
  source  = "terraform-aws-modules/rds-aurora/aws"
  version = "~> 9.0"

  name                       = "events"
  engine                     = "aurora-mysql"
  auto_minor_version_upgrade = "false"
  instances = {
    one = { instance_class = "db.r7g.large" }
    two = { instance_class = "db.r7g.large", auto_minor_version_upgrade = false }
  }
}
