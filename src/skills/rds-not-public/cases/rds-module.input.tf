module "orders_db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.10"

  identifier        = "orders"
  engine            = "mysql"
  engine_version    = "8.0.42"
  instance_class    = "db.m7g.large"
  allocated_storage = 100
  family            = "mysql8.0"

  major_engine_version = "8.0"
  username             = "orders"

  publicly_accessible = true // needed by the legacy batch host

  create_db_subnet_group = true
  subnet_ids             = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}
