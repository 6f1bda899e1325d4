module "events_db" {
  source  = "terraform-aws-modules/rds-aurora/aws"
  version = "~> 9.0"

  name   = "events"
  engine = "aurora-mysql"
  instances = {
    # The writer is upgraded by hand.
    writer = { instance_class = "db.r7g.large", auto_minor_version_upgrade = false }
    reader = { instance_class = "db.r7g.large" }
  }
}
