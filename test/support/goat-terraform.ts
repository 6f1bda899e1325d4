/**
 * A small Terraform module written in terragoat's naming idioms (bridgecrewio/terragoat,
 * terraform/aws/consts.tf and s3.tf): bucket names built from the caller's account id through an
 * object-valued local, variable defaults (one an object), the region and partition data sources,
 * functions, and provenance tags. The account, region and partition come from where it is deployed.
 */
export const GOAT_FILES: Readonly<Record<string, string>> = {
  'terraform/aws/consts.tf': `data "aws_caller_identity" "current" {}

data "aws_caller_identity" "other" {
  provider = aws.other
}

data "aws_partition" "current" {}

data "aws_region" "current" {}

variable "company_name" {
  default = "acme"
}

variable "environment" {
  default = "dev"
}

variable "owner" {}

variable "tags" {
  default = {
    env  = "staging"
    team = "data"
  }
}

locals {
  resource_prefix = {
    value = "\${data.aws_caller_identity.current.account_id}-\${var.company_name}-\${var.environment}"
  }
}
`,
  'terraform/aws/s3.tf': `resource "aws_s3_bucket" "data" {
  bucket        = "\${local.resource_prefix.value}-data"
  force_destroy = true
  tags = merge({
    Name        = "\${local.resource_prefix.value}-data"
    Environment = local.resource_prefix.value
    }, {
    git_file  = "terraform/aws/s3.tf"
    git_repo  = "goat"
    yor_trace = "0874007d-903a-4b4c-945f-c9c233e13243"
  })
}

resource "aws_s3_bucket" "logs" {
  bucket = "\${local.resource_prefix.value}-logs"
}

resource "aws_s3_bucket" "assets" {
  bucket = "\${var.company_name}-\${data.aws_region.current.name}-\${data.aws_partition.current.partition}-assets"
}

resource "aws_s3_bucket" "reports" {
  bucket = "\${var.tags.env}-\${var.tags["team"]}-reports"
}

resource "aws_s3_bucket" "backups" {
  bucket = format("%s-%s", local.resource_prefix.value, lower("Backups"))
}

resource "aws_s3_bucket" "archive" {
  bucket = join("-", [data.aws_caller_identity.current.account_id, upper(var.company_name), "archive"])
}

resource "aws_s3_bucket" "replica" {
  provider = aws.replica
  bucket   = "\${local.resource_prefix.value}-replica"
}

resource "aws_s3_bucket" "elsewhere" {
  bucket = "\${data.aws_caller_identity.other.account_id}-\${var.company_name}-shared"
}

resource "aws_s3_bucket" "owned" {
  bucket = "\${var.owner}-\${var.company_name}-owned"
}
`,
};
