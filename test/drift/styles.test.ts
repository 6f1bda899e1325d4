/** Other ways of declaring the same resources: each compares like the fixtures' style. */
/* eslint-disable @typescript-eslint/no-unsafe-member-access -- configuration items are JSON fixtures, mutated in place as Config would change them */
import { describe, expect, it } from 'vitest';
import { driftOf } from '../../src/drift/index.js';
import { liveOf, summary, updateSupplementary } from './support.js';

const tf = (text: string) => [{ path: 'main.tf', text }];
const cfn = (text: string) => [{ path: 'template.yaml', text }];

describe('Terraform styles', () => {
  it('reads the S3 blocks of provider v3 (inline versioning and encryption)', () => {
    const text = `resource "aws_s3_bucket" "logs" {
  bucket = "acme-prod-logs"
  versioning {
    enabled = true
  }
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }
}
`;
    expect(summary(driftOf({ kind: 'terraform', files: tf(text) }, liveOf('s3-bucket')))).toEqual([]);
    const suspended = liveOf('s3-bucket', (ci) =>
      updateSupplementary(ci, 'BucketVersioningConfiguration', () => ({ status: 'Suspended' })),
    );
    expect(summary(driftOf({ kind: 'terraform', files: tf(text) }, suspended))).toEqual([
      { path: 'versioning', class: 'benign', weakens: true },
    ]);
  });

  it('finds split-out siblings that name the bucket instead of referring to it', () => {
    const text = `resource "aws_s3_bucket" "logs" {
  bucket = "acme-prod-logs"
}
resource "aws_s3_bucket_public_access_block" "logs" {
  bucket            = "acme-prod-logs"
  block_public_acls = true
}
`;
    // The flags it leaves out are false, as the provider sends them.
    expect(summary(driftOf({ kind: 'terraform', files: tf(text) }, liveOf('s3-bucket')))).toEqual([
      { path: 'publicAccessBlock.ignorePublicAcls', class: 'security', category: 'exposure', weakens: false },
      { path: 'publicAccessBlock.blockPublicPolicy', class: 'security', category: 'exposure', weakens: false },
      { path: 'publicAccessBlock.restrictPublicBuckets', class: 'security', category: 'exposure', weakens: false },
    ]);
  });

  it('reads aws_security_group_rule siblings and ingress given as an attribute list', () => {
    const text = `resource "aws_security_group" "web" {
  name        = "acme-web"
  description = "web tier"
  ingress = [{
    from_port        = 443
    to_port          = 443
    protocol         = "6"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = []
    prefix_list_ids  = []
    security_groups  = []
    self             = false
    description      = "https"
  }]
}
resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = aws_security_group.web.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
}
`;
    expect(summary(driftOf({ kind: 'terraform', files: tf(text) }, liveOf('security-group')))).toEqual([]);
  });

  it('matches managed policy attachments that refer to a policy declared in the module by name', () => {
    const text = `resource "aws_iam_role" "app" {
  name               = "acme-app"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_iam_policy" "logs" {
  name   = "AWSLambdaBasicExecutionRole"
  path   = "/service-role/"
  policy = "{}"
}
resource "aws_iam_role_policy_attachment" "logs" {
  role       = "acme-app"
  policy_arn = aws_iam_policy.logs.arn
}
`;
    // The attachment's ARN is a pattern around the policy's name; the live ARN is an AWS managed one in that path.
    const live = liveOf('iam-role', (ci) => {
      ci.configuration.attachedManagedPolicies[0].policyArn = 'arn:aws:iam::111122223333:policy/service-role/AWSLambdaBasicExecutionRole';
      ci.configuration.rolePolicyList = [];
    });
    expect(summary(driftOf({ kind: 'terraform', files: tf(text) }, live))).toEqual([]);
    const other = liveOf('iam-role', (ci) => (ci.configuration.rolePolicyList = []));
    expect(summary(driftOf({ kind: 'terraform', files: tf(text) }, other))).toEqual([
      {
        path: 'managedPolicyArns[arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        class: 'security',
        category: 'iam',
        weakens: true,
      },
    ]);
  });

  it('compares DynamoDB TTL when Config records it', () => {
    const text = `resource "aws_dynamodb_table" "orders" {
  name = "acme-orders"
  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }
}
`;
    const live = liveOf('dynamodb-table', (ci) => (ci.supplementaryConfiguration.TimeToLiveDescription = { timeToLiveStatus: 'DISABLED' }));
    const report = driftOf({ kind: 'terraform', files: tf(text) }, live);
    expect(summary(report)).toEqual([{ path: 'ttl.enabled', class: 'benign', weakens: false }]);
    // Config records the table's name as tableName: the general comparison finds no field of that name.
    expect(report.notRecorded).toEqual(['ttl.attributeName', 'name']);
  });
});

describe('CloudFormation styles', () => {
  it('counts a managed policy that lists the role in Roles as attached to it', () => {
    const text = `Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: acme-app
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: [lambda.amazonaws.com] }
            Action: [sts:AssumeRole]
        Version: '2012-10-17'
  Logs:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: acme-logs
      Roles: [!Ref AppRole]
      PolicyDocument: { Version: '2012-10-17', Statement: [] }
`;
    const live = liveOf('iam-role', (ci) => {
      ci.configuration.attachedManagedPolicies = [{ policyName: 'acme-logs', policyArn: 'arn:aws:iam::111122223333:policy/acme-logs' }];
      ci.configuration.rolePolicyList = [];
    });
    expect(summary(driftOf({ kind: 'cloudformation', files: cfn(text) }, live))).toEqual([]);
  });

  it('reads string booleans and numbers as CloudFormation accepts them', () => {
    const text = `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: acme-orders-db
      StorageEncrypted: 'true'
      PubliclyAccessible: 'false'
      BackupRetentionPeriod: '7'
      MultiAZ: 'true'
`;
    expect(summary(driftOf({ kind: 'cloudformation', files: cfn(text) }, liveOf('rds-instance')))).toEqual([]);
  });
});
