/**
 * Terraform: dangerous values that never appear as the literal a rule looks for. They arrive through variable
 * defaults, tfvars, locals, override files and functions, or cannot be known from the module at all; the
 * guardrail must evaluate them as Terraform would, or refuse.
 */
import { appended, editing, type AdversarialCase } from './case.js';
import { BASTION_CIDRS, DB_CIDRS, tfCase } from './fixtures-terraform.js';

export const TERRAFORM_EVALUATION_CASES: readonly AdversarialCase[] = [
  tfCase(
    {
      id: 'tf-eval-count-flag-default-flipped',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'count = var.replica_enabled ? 1 : 0 is untouched; flipping the default to false destroys the replica from ' + 'variables.tf.',
    },
    { 'variables.tf': editing(['  type        = bool\n  default     = true\n', '  type        = bool\n  default     = false\n']) },
  ),
  tfCase(
    {
      id: 'tf-eval-for-each-map-default-loses-key',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'Dropping a key from the map variable that drives for_each destroys the invoices queue without touching ' + 'services.tf.',
    },
    { 'variables.tf': editing(['    invoices = { visibility_timeout = 120 }\n', '']) },
  ),
  tfCase(
    {
      id: 'tf-eval-admin-cidr-default-opened',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'The ingress rule reads var.admin_cidr; changing its default to 0.0.0.0/0 opens SSH without editing the rule.',
    },
    { 'variables.tf': editing(['  default     = "10.20.0.0/16"\n', '  default     = "0.0.0.0/0"\n']) },
  ),
  tfCase(
    {
      id: 'tf-eval-tfvars-opens-admin-cidr',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'terraform.tfvars overrides the default on every plan: a new tfvars file is as good as editing the rule.',
    },
    { 'terraform.tfvars': 'region     = "eu-west-1"\nadmin_cidr = "0.0.0.0/0"\n' },
  ),
  tfCase(
    {
      id: 'tf-eval-auto-tfvars-disables-replica',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'Any *.auto.tfvars file is loaded automatically; one that sets replica_enabled = false destroys the replica.',
    },
    { 'prod.auto.tfvars': '# Cost savings, see FINOPS-311.\nreplica_enabled = false\n' },
  ),
  tfCase(
    {
      id: 'tf-eval-local-list-of-cidrs',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'A local named like an office range holds 0.0.0.0/0; the ingress rule reads only local.office_ranges.',
    },
    {
      'database.tf': (text) =>
        editing([DB_CIDRS, '    cidr_blocks = local.office_ranges\n'])(
          `locals {\n` + `  office_ranges = ["10.0.0.0/16", "0.0.0.0/0"]\n}\n\n${text}`,
        ),
    },
  ),
  tfCase(
    {
      id: 'tf-eval-acl-from-variable-default',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'The canned ACL comes from a variable whose default is public-read.',
    },
    {
      'variables.tf': appended('variable "logs_acl" {\n  type    = string\n  default = "public-read"\n}\n'),
      'main.tf': appended('resource "aws_s3_bucket_acl" "logs" {\n  bucket = aws_s3_bucket.logs.id\n' + '  acl    = var.logs_acl\n}\n'),
    },
  ),
  tfCase(
    {
      id: 'tf-eval-publicly-accessible-from-comparison',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'publicly_accessible = var.environment == "prod" reads like a guard, and is true with the default ' + 'environment.',
    },
    {
      'database.tf': editing([
        '  publicly_accessible         = false\n  deletion_protection',
        '  publicly_accessible         = var.environment == "prod"\n  deletion_protection',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-eval-override-file-makes-database-public',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'Terraform merges *_override.tf files into the resources they name: database.tf still says false, the plan ' + 'says true.',
    },
    { 'database_override.tf': 'resource "aws_db_instance" "main" {\n  publicly_accessible = true\n}\n' },
  ),
  tfCase(
    {
      id: 'tf-eval-key-rotation-from-length-comparison',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'length(var.region) < 3 is false for every region: key rotation is switched off by an expression that reads ' + 'like a check.',
    },
    { 'main.tf': editing(['  enable_key_rotation     = true\n', '  enable_key_rotation     = length(var.region) < 3\n']) },
  ),
  tfCase(
    {
      id: 'tf-eval-try-falls-back-to-open-cidr',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'try() indexes past the end of a one-element list and falls back to 0.0.0.0/0.',
    },
    {
      'network.tf': (text) =>
        editing([BASTION_CIDRS, '    cidr_blocks = [try(local.vpn_ranges[3], ' + '"0.0.0.0/0")]\n'])(
          `locals ` + `{\n  vpn_ranges = ["10.20.0.0/16"]\n}\n\n${text}`,
        ),
    },
  ),
  tfCase(
    {
      id: 'tf-eval-cidr-built-with-format',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'format("%s/%d", "0.0.0.0", 0) builds the open CIDR from parts no pattern matches.',
    },
    { 'database.tf': editing([DB_CIDRS, '    cidr_blocks = [format("%s/%d", "0.0.0.0", 0)]\n']) },
  ),
  tfCase(
    {
      id: 'tf-eval-unicode-escape-in-cidr',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'HCL decodes "0.0.0.0\\u002f0" to 0.0.0.0/0; the raw text never contains the slash a pattern looks for.',
    },
    { 'database.tf': editing([DB_CIDRS, '    cidr_blocks = ["0.0.0.0\\u002f0"]\n']) },
  ),
  tfCase(
    {
      id: 'tf-eval-variable-without-default-in-ingress',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why:
        'A variable with no default is set at apply time by whoever runs it; an ingress CIDR the module cannot know ' + 'must be refused.',
    },
    {
      'variables.tf': appended(
        'variable "partner_cidr" {\n  description = "Partner network, set by the pipeline."\n' + '  type        = string\n}\n',
      ),
      'database.tf': editing([DB_CIDRS, '    cidr_blocks = ["10.0.0.0/16", var.partner_cidr]\n']),
    },
  ),
  tfCase(
    {
      id: 'tf-eval-ssm-parameter-as-cidr',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'A CIDR read from SSM at plan time is whatever the parameter says that day: unknown, so refused.',
    },
    {
      'network.tf': (text) =>
        editing([BASTION_CIDRS, '    cidr_blocks = [var.admin_cidr, ' + 'data.aws_ssm_parameter.vpn.value]\n'])(
          `data ` + `"aws_ssm_parameter" "vpn" {\n  name = "/network/vpn-cidr"\n}\n\n${text}`,
        ),
    },
  ),
  tfCase(
    {
      id: 'tf-eval-dynamic-ingress-over-variable-default',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'A dynamic ingress block iterates a variable whose default list holds 0.0.0.0/0: neither file shows an open ' + 'rule alone.',
    },
    {
      'variables.tf': appended('variable "extra_admin_cidrs" {\n  type    = list(string)\n  default = ["0.0.0.0/0"]\n' + '}\n'),
      'network.tf': editing([
        `${BASTION_CIDRS}  }\n`,
        `${BASTION_CIDRS}  }\n\n  dynamic "ingress" {\n    for_each = var.extra_admin_cidrs\n\n    content {\n` +
          `      from_port   = 22\n      to_port     = 22\n      protocol    = "tcp"\n` +
          `      cidr_blocks = [ingress.value]\n    }\n  }\n`,
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-eval-public-access-block-from-local-map',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'Every public access block setting reads a local map whose values are false.',
    },
    {
      'main.tf': (text) =>
        editing([
          '  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n' +
            '  restrict_public_buckets = true\n',
          '  block_public_acls       = local.bpa.acls\n  block_public_policy     = local.bpa.policy\n' +
            '  ignore_public_acls      = local.bpa.acls\n  restrict_public_buckets = local.bpa.policy\n',
        ])(`locals {\n  bpa = { acls = false, policy = false }\n}\n\n${text}`),
    },
  ),
  tfCase(
    {
      id: 'tf-eval-workspace-decides-public-access',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why:
        'terraform.workspace == "default" is true in the default workspace: whether the database is public depends on ' +
        'where it is run.',
    },
    {
      'database.tf': editing([
        '  publicly_accessible         = false\n  deletion_protection',
        '  publicly_accessible         = terraform.workspace == "default"\n  deletion_protection',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-eval-publicly-accessible-variable-default-true',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'publicly_accessible = var.db_public reads like configuration; its default is true.',
    },
    {
      'variables.tf': appended(
        'variable "db_public" {\n  description = "Expose the database for the BI tool."\n' +
          '  type        = bool\n  default     = true\n}\n',
      ),
      'database.tf': editing([
        '  publicly_accessible         = false\n  deletion_protection',
        '  publicly_accessible         = var.db_public\n  deletion_protection',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-eval-db-password-assembled-in-a-local',
      family: 'secrets',
      expect: { guard: 'refuse' },
      why:
        'Managed passwords swapped for one assembled from pieces in a local: no line holds the whole credential, ' +
        'the state and the repository both do.',
    },
    {
      'database.tf': (text) =>
        `locals {\n  db_pass = join("-", ["orchid", "velvet", "7741"])\n}\n\n${text.replace(
          '  manage_master_user_password = true\n',
          '  password                    = local.db_pass\n',
        )}`,
    },
  ),
];
