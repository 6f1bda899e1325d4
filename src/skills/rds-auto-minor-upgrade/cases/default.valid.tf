resource "aws_db_instance" "ledger" {
  identifier                  = "ledger"
  engine                      = "postgres"
  instance_class              = "db.m7g.large"
  allocated_storage           = 100
  username                    = "ledger"
  manage_master_user_password = true
}

resource "aws_rds_cluster_instance" "ledger_reader" {
  identifier                 = "ledger-reader"
  cluster_identifier         = "ledger-aurora"
  instance_class             = "db.r7g.large"
  engine                     = "aurora-postgresql"
  auto_minor_version_upgrade = true
}

module "search_db" {
  source  = "terraform-aws-modules/rds-aurora/aws"
  version = "~> 9.0"

  name   = "search"
  engine = "aurora-postgresql"
  instances = {
    one = { instance_class = "db.r7g.large", auto_minor_version_upgrade = true }
  }
}
