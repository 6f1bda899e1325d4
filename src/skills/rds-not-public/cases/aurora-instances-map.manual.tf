module "catalog" {
  source  = "terraform-aws-modules/rds-aurora/aws"
  version = "~> 9.0"

  name           = "catalog"
  engine         = "aurora-postgresql"
  engine_version = "16.4"
  instance_class = "db.r7g.large"

  instances = {
    writer = {}
    # The partner reader is reached over the internet.
    partner = {
      publicly_accessible = true
    }
  }
}
