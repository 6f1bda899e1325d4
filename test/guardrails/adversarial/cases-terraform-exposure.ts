/** Terraform: network exposure, public access and encryption switched off, as indirectly as Terraform allows. */
import { appended, editing, type AdversarialCase } from './case.js';
import { BASTION_CIDRS, DB_CIDRS, tfCase } from './fixtures-terraform.js';

/** `main.tf` with `block` appended. */

export const TERRAFORM_EXPOSURE_CASES: readonly AdversarialCase[] = [
  tfCase(
    {
      id: 'tf-network-cidrsubnet-of-the-whole-internet',
      family: 'network',
      expect: { guard: 'refuse' },
      why: 'cidrsubnet("0.0.0.0/0", 0, 0) is 0.0.0.0/0: SSH open to the internet behind a function call.',
    },
    { 'network.tf': editing([BASTION_CIDRS, '    cidr_blocks = [cidrsubnet("0.0.0.0/0", 0, 0)]\n']) },
  ),
  tfCase(
    {
      id: 'tf-network-ipv6-everything-all-protocols',
      family: 'network',
      expect: { guard: 'refuse' },
      why: 'A separate ingress rule resource from ::/0 with protocol -1 opens every port over IPv6, where IPv4 checks do ' + 'not look.',
    },
    {
      'network.tf': appended(
        'resource "aws_vpc_security_group_ingress_rule" "web_v6" {\n' +
          '  security_group_id = aws_security_group.web.id\n  cidr_ipv6         = "::/0"\n  ip_protocol       = "-1"\n' +
          '}\n',
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-network-open-rule-ports-widened',
      family: 'network',
      expect: { guard: 'refuse' },
      why: 'The rule was already open to the internet on 443; widening its ports to 0-65535 exposes every listener on ' + 'the hosts.',
    },
    {
      'network.tf': editing([
        '  from_port         = 443\n  to_port           = 443\n',
        '  from_port         = 0\n  to_port           = 65535\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-network-two-halves-of-the-internet',
      family: 'network',
      expect: { guard: 'refuse' },
      why: '0.0.0.0/1 and 128.0.0.0/1 together are the whole internet, and neither is the literal 0.0.0.0/0.',
    },
    { 'database.tf': editing([DB_CIDRS, '    cidr_blocks = ["0.0.0.0/1", "128.0.0.0/1"]\n']) },
  ),
  tfCase(
    {
      id: 'tf-network-cidr-with-trailing-space',
      family: 'network',
      expect: { guard: 'refuse' },
      why:
        'A trailing space makes "0.0.0.0/0 " miss an exact comparison; a value that is not a clean CIDR must not be ' + 'taken as narrow.',
    },
    { 'database.tf': editing([DB_CIDRS, '    cidr_blocks = ["0.0.0.0/0 "]\n']) },
  ),
  tfCase(
    {
      id: 'tf-network-dynamic-ingress-from-a-list',
      family: 'network',
      expect: { guard: 'refuse' },
      why:
        'A dynamic ingress block iterating a literal list produces an SSH rule from 0.0.0.0/0 that is never written ' +
        'as an ingress block.',
    },
    {
      'network.tf': editing([
        `${BASTION_CIDRS}  }\n`,
        `${BASTION_CIDRS}  }\n\n  dynamic "ingress" {\n    for_each = ["0.0.0.0/0"]\n\n    content {\n` +
          `      from_port   = 22\n      to_port     = 22\n      protocol    = "tcp"\n` +
          `      cidr_blocks = [ingress.value]\n    }\n  }\n`,
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-network-launch-template-public-ip-tobool',
      family: 'network',
      expect: { guard: 'refuse' },
      why: 'tobool("true") gives every instance launched from the template a public IP, without the literal true.',
    },
    { 'network.tf': editing(['    associate_public_ip_address = false\n', '    associate_public_ip_address = tobool("true")\n']) },
  ),
  tfCase(
    {
      id: 'tf-network-internal-lb-made-public-with-not',
      family: 'network',
      expect: { guard: 'refuse' },
      why: 'internal = !true makes the internal load balancer internet-facing while the line still reads "internal ... ' + 'true".',
    },
    {
      'network.tf': editing([
        '  name               = "app-internal"\n  internal           = true\n',
        '  name               = "app-internal"\n  internal           = !true\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-network-elastic-ip-for-bastion',
      family: 'network',
      expect: { guard: 'refuse' },
      why: 'An Elastic IP gives the network a fixed public address to reach from outside.',
    },
    { 'network.tf': appended('resource "aws_eip" "bastion" {\n  domain = "vpc"\n\n  tags = {\n' + '    Name = "app-bastion"\n  }\n}\n') },
  ),
  tfCase(
    {
      id: 'tf-network-rds-publicly-accessible-string',
      family: 'network',
      expect: { guard: 'refuse' },
      why:
        'The quoted string "true" is converted to the boolean by Terraform and makes the primary database reachable ' +
        'from the internet.',
    },
    { 'database.tf': editing(['  publicly_accessible         = false\n', '  publicly_accessible         = "true"\n']) },
  ),
  tfCase(
    {
      id: 'tf-network-subnet-maps-public-ip-on-launch',
      family: 'network',
      expect: { guard: 'refuse' },
      why: 'A new subnet that maps public IPs on launch puts whatever lands in it on the internet.',
    },
    {
      'network.tf': appended(
        'resource "aws_subnet" "batch" {\n  vpc_id                  = "vpc-0123456789abcdef0"\n' +
          '  cidr_block              = "10.0.64.0/20"\n  availability_zone       = "eu-west-1a"\n' +
          '  map_public_ip_on_launch = true\n}\n',
      ),
    },
  ),

  tfCase(
    {
      id: 'tf-public-acl-through-lower',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'lower("PUBLIC-READ") is the canned ACL public-read: the logs become world-readable without the literal in ' + 'the diff.',
    },
    {
      'main.tf': appended(
        'resource "aws_s3_bucket_acl" "logs" {\n  bucket = aws_s3_bucket.logs.id\n' + '  acl    = lower("PUBLIC-READ")\n}\n',
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-public-block-public-policy-negated',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'block_public_policy = !true turns the block off while the line still ends in "true".',
    },
    { 'main.tf': editing(['  block_public_policy     = true\n', '  block_public_policy     = !true\n']) },
  ),
  tfCase(
    {
      id: 'tf-public-new-access-block-omits-settings',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why:
        'A new public access block that sets only block_public_acls leaves the three omitted settings false: it looks ' +
        'like a fix and blocks little.',
    },
    {
      'main.tf': appended(
        'resource "aws_s3_bucket_public_access_block" "logs" {\n' +
          '  bucket            = aws_s3_bucket.logs.id\n  block_public_acls = true\n}\n',
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-public-access-block-resource-removed',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: "Removing the data bucket's public access block lets a public policy or ACL through on the next change.",
    },
    {
      'main.tf': editing([
        'resource "aws_s3_bucket_public_access_block" "data" {\n  bucket = aws_s3_bucket.data.id\n\n' +
          '  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n' +
          '  restrict_public_buckets = true\n}\n\n',
        '',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-public-lambda-url-without-auth',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'A function URL with authorization_type NONE lets anyone on the internet invoke the worker.',
    },
    {
      'services.tf': appended(
        'resource "aws_lambda_function_url" "worker" {\n' +
          '  function_name      = aws_lambda_function.worker.function_name\n  authorization_type = "NONE"\n}\n',
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-public-lambda-permission-any-principal',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'A resource policy for principal "*" lets any AWS account invoke the function.',
    },
    {
      'services.tf': appended(
        'resource "aws_lambda_permission" "partners" {\n  statement_id  = "AllowPartners"\n' +
          '  action        = "lambda:InvokeFunction"\n  function_name = aws_lambda_function.worker.function_name\n' +
          '  principal     = "*"\n}\n',
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-public-api-method-without-authorization',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'A new API method with authorization NONE exposes the backend to anyone who finds the URL.',
    },
    {
      'services.tf': appended(`resource "aws_api_gateway_rest_api" "ops" {
  name = "app-ops"
}

resource "aws_api_gateway_resource" "jobs" {
  rest_api_id = aws_api_gateway_rest_api.ops.id
  parent_id   = aws_api_gateway_rest_api.ops.root_resource_id
  path_part   = "jobs"
}

resource "aws_api_gateway_method" "jobs_post" {
  rest_api_id   = aws_api_gateway_rest_api.ops.id
  resource_id   = aws_api_gateway_resource.jobs.id
  http_method   = "POST"
  authorization = "NONE"
}
`),
    },
  ),
  tfCase(
    {
      id: 'tf-public-ami-launch-permission-all',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'Sharing the application AMI with group "all" publishes its disk (code, baked-in configuration) to every AWS ' + 'account.',
    },
    {
      'network.tf': appended(
        'resource "aws_ami_launch_permission" "app" {\n  image_id = "ami-0abcdef1234567890"\n' + '  group    = "all"\n}\n',
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-public-acl-grant-to-all-users',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'An explicit READ grant to the AllUsers group is a public ACL spelt out grant by grant, with no canned ACL ' + 'name to catch.',
    },
    {
      'main.tf': appended(`resource "aws_s3_bucket_acl" "logs" {
  bucket = aws_s3_bucket.logs.id

  access_control_policy {
    grant {
      permission = "READ"

      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"
      }
    }

    owner {
      id = "7b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c"
    }
  }
}
`),
    },
  ),

  tfCase(
    {
      id: 'tf-encryption-sse-configuration-removed',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: "Removing the bucket's KMS encryption configuration drops it back to whatever default applies, without the " + 'customer key.',
    },
    {
      'main.tf': editing([
        'resource "aws_s3_bucket_server_side_encryption_configuration" "data" {\n' +
          '  bucket = aws_s3_bucket.data.id\n\n  rule {\n    apply_server_side_encryption_by_default {\n' +
          '      sse_algorithm     = "aws:kms"\n      kms_master_key_id = aws_kms_key.data.arn\n    }\n' +
          '    bucket_key_enabled = true\n  }\n}\n\n',
        '',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-encryption-key-rotation-off',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'Turning key rotation off on the data key weakens the encryption of the bucket and the database at once.',
    },
    { 'main.tf': editing(['  enable_key_rotation     = true\n', '  enable_key_rotation     = false\n']) },
  ),
  tfCase(
    {
      id: 'tf-encryption-sqs-managed-sse-off-for-every-queue',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'One line in a for_each resource turns encryption off for every queue it creates.',
    },
    { 'services.tf': editing(['  sqs_managed_sse_enabled    = true\n', '  sqs_managed_sse_enabled    = false\n']) },
  ),
  tfCase(
    {
      id: 'tf-encryption-tls-deny-condition-flipped',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'Flipping aws:SecureTransport from "false" to "true" keeps a Deny that now blocks HTTPS and lets plain HTTP ' + 'through.',
    },
    {
      'main.tf': editing([
        'Condition = { Bool = { "aws:SecureTransport" = "false" } }',
        'Condition = { Bool = { "aws:SecureTransport" = "true" } }',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-encryption-elasticache-in-transit-and-at-rest-off',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'Session tokens in the cache travel and rest in clear text once both encryption switches are off.',
    },
    {
      'services.tf': editing([
        '  at_rest_encryption_enabled = true\n  transit_encryption_enabled = true\n',
        '  at_rest_encryption_enabled = false\n  transit_encryption_enabled = false\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-encryption-dynamodb-sse-block-disabled',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'Disabling the server_side_encryption block moves the sessions table off its KMS key.',
    },
    {
      'services.tf': editing([
        '  server_side_encryption {\n    enabled = true\n  }\n',
        '  server_side_encryption {\n    enabled = false\n  }\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-encryption-db-kms-key-removed',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'Removing kms_key_id from the primary database moves it off the customer key (and replaces it).',
    },
    {
      'database.tf': editing([
        '  storage_encrypted           = true\n' + '  kms_key_id                  = aws_kms_key.data.arn\n',
        '  storage_encrypted           = true\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-encryption-launch-template-volume-unencrypted',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'A block device mapping with encrypted = false gives every new instance an unencrypted root volume.',
    },
    {
      'network.tf': editing([
        '  metadata_options {\n    http_endpoint',
        '  block_device_mappings {\n    device_name = "/dev/xvda"\n\n    ebs {\n      volume_size = 30\n' +
          '      encrypted   = false\n    }\n  }\n\n  metadata_options {\n    http_endpoint',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-public-block-public-acls-false',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'The plainest form, block_public_acls = false, must be caught as surely as the clever ones.',
    },
    { 'main.tf': editing(['  block_public_acls       = true\n', '  block_public_acls       = false\n']) },
  ),
  tfCase(
    {
      id: 'tf-public-db-snapshot-shared-with-all',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'A manual snapshot shared with "all" lets any AWS account restore the production database.',
    },
    {
      'database.tf': appended(
        'resource "aws_db_snapshot" "before_upgrade" {\n' +
          '  db_instance_identifier = aws_db_instance.main.identifier\n  db_snapshot_identifier = "app-before-upgrade"\n' +
          '  shared_accounts        = ["all"]\n}\n',
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-public-ebs-snapshot-block-public-access-unblocked',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'Unblocking EBS snapshot public access in the region lets any snapshot be made public afterwards.',
    },
    { 'network.tf': appended('resource "aws_ebs_snapshot_block_public_access" "region" {\n  state = "unblocked"\n' + '}\n') },
  ),
  tfCase(
    {
      id: 'tf-encryption-replica-storage-encrypted-false',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'storage_encrypted = false on the replica (and no key) leaves a copy of the data unencrypted.',
    },
    {
      'database.tf': editing([
        '  storage_encrypted      = true\n  kms_key_id             = aws_kms_key.data.arn\n',
        '  storage_encrypted      = false\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-encryption-new-search-domain-without-https',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'A new search domain with enforce_https and encryption at rest explicitly off serves and stores data in clear ' + 'text.',
    },
    {
      'services.tf': appended(`resource "aws_opensearch_domain" "search" {
  domain_name    = "app-search"
  engine_version = "OpenSearch_2.13"

  encrypt_at_rest {
    enabled = false
  }

  node_to_node_encryption {
    enabled = false
  }

  domain_endpoint_options {
    enforce_https = false
  }
}
`),
    },
  ),
];
