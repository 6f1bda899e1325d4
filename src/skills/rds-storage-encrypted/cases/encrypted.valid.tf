variable "encrypt_storage" {
  type    = bool
  default = true
}

resource "aws_db_instance" "crm" {
  identifier                  = "crm"
  engine                      = "postgres"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "crm"
  manage_master_user_password = true
  storage_encrypted           = var.encrypt_storage
}

resource "aws_db_instance" "crm_replica" {
  identifier          = "crm-replica"
  replicate_source_db = aws_db_instance.crm.identifier
  instance_class      = "db.t4g.medium"
}

# Aurora Serverless v1 clusters are always encrypted.
resource "aws_rds_cluster" "jobs" {
  cluster_identifier          = "jobs"
  engine                      = "aurora-postgresql"
  engine_mode                 = "serverless"
  master_username             = "jobs"
  manage_master_user_password = true
}

module "search_db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "6.10.0"

  identifier = "search"
  engine     = "postgres"
}

module "events_cluster" {
  source  = "terraform-aws-modules/rds-aurora/aws"
  version = "~> 9.0"

  name   = "events"
  engine = "aurora-postgresql"
}
