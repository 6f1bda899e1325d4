/**
 * The Terraform module every Terraform case starts from: an application's root module as real repositories
 * hold it (backend, providers, variables, storage, a database, network, IAM, services, the lock file).
 * Deliberately imperfect where a finding would point: a logs bucket without public access block or
 * encryption, a reports database never encrypted, a KMS key without rotation, a table without PITR.
 */

import { patched, type AdversarialCase, type CaseHead, type Change } from './case.js';

const VERSIONS_TF = `terraform {
  required_version = ">= 1.8.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
  }

  backend "s3" {
    bucket         = "acme-terraform-state"
    key            = "app/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "app"
      Environment = var.environment
    }
  }
}
`;

const VARIABLES_TF = `variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "db_instance_class" {
  description = "Instance class of the primary database."
  type        = string
  default     = "db.t3.medium"
}

variable "admin_cidr" {
  description = "Office network allowed to reach the bastion."
  type        = string
  default     = "10.20.0.0/16"
}

variable "replica_enabled" {
  description = "Whether the read replica exists."
  type        = bool
  default     = true
}

variable "queues" {
  description = "Work queues, by name."
  type = map(object({
    visibility_timeout = number
  }))
  default = {
    orders   = { visibility_timeout = 60 }
    invoices = { visibility_timeout = 120 }
  }
}
`;

const MAIN_TF = `resource "aws_kms_key" "data" {
  description             = "Key for the data bucket and the database"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_kms_key" "logs" {
  description             = "Key for access logs"
  deletion_window_in_days = 30
}

resource "aws_s3_bucket" "data" {
  bucket = "acme-app-data-\${var.environment}"

  tags = {
    DataClass = "confidential"
  }
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket = aws_s3_bucket.data.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.data.arn, "\${aws_s3_bucket.data.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-app-logs-\${var.environment}"
}
`;

const DATABASE_TF = `resource "aws_db_subnet_group" "main" {
  name       = "app-\${var.environment}"
  subnet_ids = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
}

resource "aws_security_group" "db" {
  name        = "app-db-\${var.environment}"
  description = "Database access from the application tier"
  vpc_id      = "vpc-0123456789abcdef0"

  ingress {
    description = "PostgreSQL from the VPC"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}

resource "aws_db_instance" "main" {
  identifier                  = "app-\${var.environment}"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = var.db_instance_class
  allocated_storage           = 100
  storage_encrypted           = true
  kms_key_id                  = aws_kms_key.data.arn
  db_subnet_group_name        = aws_db_subnet_group.main.name
  vpc_security_group_ids      = [aws_security_group.db.id]
  username                    = "app_admin"
  manage_master_user_password = true
  publicly_accessible         = false
  deletion_protection         = true
  skip_final_snapshot         = false
  final_snapshot_identifier   = "app-\${var.environment}-final"
  backup_retention_period     = 14

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_db_instance" "replica" {
  count = var.replica_enabled ? 1 : 0

  identifier             = "app-\${var.environment}-replica"
  replicate_source_db    = aws_db_instance.main.identifier
  instance_class         = var.db_instance_class
  storage_encrypted      = true
  kms_key_id             = aws_kms_key.data.arn
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false
  skip_final_snapshot    = true
}

resource "aws_db_instance" "reports" {
  identifier                  = "app-reports-\${var.environment}"
  engine                      = "mysql"
  engine_version              = "8.0"
  instance_class              = "db.t3.small"
  allocated_storage           = 20
  username                    = "reports"
  manage_master_user_password = true
  db_subnet_group_name        = aws_db_subnet_group.main.name
  vpc_security_group_ids      = [aws_security_group.db.id]
  skip_final_snapshot         = false
  final_snapshot_identifier   = "app-reports-final"
}
`;

const NETWORK_TF = `resource "aws_security_group" "web" {
  name        = "app-web"
  description = "Public HTTPS to the load balancer"
  vpc_id      = "vpc-0123456789abcdef0"
}

resource "aws_vpc_security_group_ingress_rule" "web_https" {
  security_group_id = aws_security_group.web.id
  description       = "HTTPS from anywhere"
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

resource "aws_security_group" "bastion" {
  name        = "app-bastion"
  description = "SSH from the office"
  vpc_id      = "vpc-0123456789abcdef0"

  ingress {
    description = "SSH from the office"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}

resource "aws_launch_template" "app" {
  name_prefix   = "app-"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.small"
  user_data     = base64encode("#!/bin/bash\\nsystemctl start app\\n")

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  network_interfaces {
    associate_public_ip_address = false
    security_groups             = [aws_security_group.web.id]
  }
}

resource "aws_lb" "public" {
  name               = "app-public"
  internal           = false
  load_balancer_type = "application"
  security_groups    = [aws_security_group.web.id]
  subnets            = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
}

resource "aws_lb" "internal" {
  name               = "app-internal"
  internal           = true
  load_balancer_type = "application"
  subnets            = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "eu-west-1a"
  size              = 100
  type              = "gp3"
}
`;

const IAM_TF = `data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "worker" {
  name               = "app-worker"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

data "aws_iam_policy_document" "worker" {
  statement {
    sid       = "ReadData"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.data.arn, "\${aws_s3_bucket.data.arn}/*"]
  }

  statement {
    sid       = "DecryptViaS3"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.data.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.eu-west-1.amazonaws.com"]
    }
  }

  statement {
    sid       = "Queues"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
    resources = ["arn:aws:sqs:eu-west-1:123456789012:app-orders"]
  }
}

resource "aws_iam_role_policy" "worker" {
  name   = "worker"
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.worker.json
}

resource "aws_iam_policy" "deploy" {
  name = "app-deploy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["lambda:UpdateFunctionCode", "lambda:GetFunction"]
        Resource = "arn:aws:lambda:eu-west-1:123456789012:function:app-worker"
      },
      {
        Effect   = "Deny"
        Action   = "iam:*"
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_policy" "analytics" {
  name   = "app-analytics"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": "arn:aws:s3:::acme-app-data-prod/exports/*"
    }
  ]
}
EOF
}
`;

const SERVICES_TF = `resource "aws_sqs_queue" "jobs" {
  for_each = var.queues

  name                       = "app-\${each.key}"
  visibility_timeout_seconds = each.value.visibility_timeout
  sqs_managed_sse_enabled    = true
}

resource "aws_dynamodb_table" "sessions" {
  name         = "app-sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  server_side_encryption {
    enabled = true
  }
}

resource "aws_lambda_function" "worker" {
  function_name = "app-worker"
  role          = aws_iam_role.worker.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  s3_bucket     = "acme-artifacts"
  s3_key        = "worker/1.4.2.zip"
  timeout       = 30

  environment {
    variables = {
      DATA_BUCKET = aws_s3_bucket.data.bucket
    }
  }
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id       = "app-cache"
  description                = "Session cache"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
}

module "vpc_endpoints" {
  source  = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"
  version = "5.8.1"

  vpc_id = "vpc-0123456789abcdef0"
  endpoints = {
    s3 = { service = "s3", service_type = "Gateway" }
  }
}
`;

const LOCK_HCL = `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.62.0"
  constraints = "~> 5.60"
  hashes = [
    "h1:8tbN1Q3hHh0mXbFMnqDk8D4q3CrCk1wnx2QexA0N2oQ=",
    "zh:1f2e3d4c5b6a79880f1e2d3c4b5a69788f1e2d3c4b5a69788f1e2d3c4b5a6978",
  ]
}
`;

/** Lines of the module that many patches edit or anchor on. */
export const LOGS_BUCKET = 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-app-logs-${var.environment}"\n}\n';
export const DB_CIDRS = '    cidr_blocks = ["10.0.0.0/16"]\n';
export const BASTION_CIDRS = '    cidr_blocks = [var.admin_cidr]\n';
export const WORKER_ENV = '      DATA_BUCKET = aws_s3_bucket.data.bucket\n';

/** The module: path → contents before any patch. */
export const TF_APP: Readonly<Record<string, string>> = {
  'versions.tf': VERSIONS_TF,
  'variables.tf': VARIABLES_TF,
  'main.tf': MAIN_TF,
  'database.tf': DATABASE_TF,
  'network.tf': NETWORK_TF,
  'iam.tf': IAM_TF,
  'services.tf': SERVICES_TF,
  '.terraform.lock.hcl': LOCK_HCL,
};

/** What a patch does to the module: path → the change of that file. */
export type Changes = Readonly<Record<string, Change>>;

/** A Terraform case over `TF_APP`: the files a patch changes or creates, the rest carried unchanged. */
export function tfCase(c: CaseHead, changes: Changes): AdversarialCase {
  return { ...c, kind: 'terraform', files: patched(TF_APP, changes) };
}
