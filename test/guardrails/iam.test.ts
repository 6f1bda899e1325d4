import { describe, it } from 'vitest';
import { edit, expectVerdict, type Row } from './judge.js';

const ROLE_POLICY = `resource "aws_iam_role_policy" "app" {
  name = "app"
  role = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "Read"
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = "arn:aws:s3:::acme-data/*"
    }]
  })
}
`;

const ADMIN = edit(edit(ROLE_POLICY, '["s3:GetObject", "s3:ListBucket"]', '"*"'), '"arn:aws:s3:::acme-data/*"', '"*"');

const BUCKET_POLICY = `resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}

data "aws_iam_policy_document" "site" {
  statement {
    sid       = "OfficeRead"
    actions   = ["s3:GetObject"]
    resources = ["\${aws_s3_bucket.site.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = data.aws_iam_policy_document.site.json
}
`;

const TLS_DENY = `
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.site.arn, "\${aws_s3_bucket.site.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "site" {`;

const WITH_TLS_DENY = edit(BUCKET_POLICY, '\n}\n\nresource "aws_s3_bucket_policy" "site" {', TLS_DENY);

const HEREDOC_PUBLIC = `resource "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "VpcRead",
    "Effect": "Allow",
    "Principal": "*",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::acme-legacy/*",
    "Condition": { "StringEquals": { "aws:SourceVpce": "vpce-0a1b2c3d" } }
  }]
}
EOF
}
`;

const UNCONDITIONED = edit(HEREDOC_PUBLIC, ',\n    "Condition": { "StringEquals": { "aws:SourceVpce": "vpce-0a1b2c3d" } }', '');

const LAMBDA = `resource "aws_lambda_permission" "uploads" {
  statement_id  = "AllowS3"
  action        = "lambda:InvokeFunction"
  function_name = "thumbnails"
  principal     = "s3.amazonaws.com"
  source_arn    = "arn:aws:s3:::acme-uploads"
}
`;

const CFN_ROLE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: data
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Sid: Read
                Effect: Allow
                Action: [dynamodb:GetItem, dynamodb:Query]
                Resource: !GetAtt Table.Arn
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
`;

const CFN_BUCKET_POLICY = JSON.stringify(
  {
    Resources: {
      Bucket: { Type: 'AWS::S3::Bucket' },
      BucketPolicy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'Bucket' },
          PolicyDocument: {
            Statement: [
              {
                Sid: 'Partner',
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws:iam::444455556666:root' },
                Action: 's3:GetObject',
                Resource: { 'Fn::Sub': '${Bucket.Arn}/*' },
              },
            ],
          },
        },
      },
    },
  },
  null,
  2,
);

const CFN_PERMISSION = `Resources:
  Permission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: thumbnails
      Principal: sns.amazonaws.com
      SourceArn: arn:aws:sns:us-east-1:111122223333:alerts
`;

const ACL = 'resource "aws_s3_bucket_acl" "site" {\n  bucket = "acme-site"\n  acl    = "private"\n}\n';

const FUNCTION_URL = 'resource "aws_lambda_function_url" "api" {\n  function_name      = "api"\n  authorization_type = "AWS_IAM"\n}\n';

const ACL_GRANTS = `resource "aws_s3_bucket_acl" "site" {
  bucket = "acme-site"

  access_control_policy {
    grant {
      grantee {
        id   = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
        type = "CanonicalUser"
      }
      permission = "READ"
    }

    owner {
      id = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
    }
  }
}
`;

const CFN_MANAGED =
  'Resources:\n  Ops:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }\n      ManagedPolicyArns:\n        - arn:aws:iam::aws:policy/ReadOnlyAccess\n';

const violations: Row[] = [
  {
    name: 'an action becomes a service wildcard',
    kind: 'terraform',
    before: ROLE_POLICY,
    after: edit(ROLE_POLICY, '["s3:GetObject", "s3:ListBucket"]', '"s3:*"'),
    expected: [
      [
        'widened-iam',
        'main.tf: aws_iam_role_policy.app gains Allow of s3:* on arn:aws:s3:::acme-data/* in statement "Read" of policy (action s3:*)',
      ],
    ],
  },
  {
    name: 'a statement grants every action on every resource',
    kind: 'terraform',
    before: ROLE_POLICY,
    after: ADMIN,
    expected: [['widened-iam', 'gains Allow of * on * in statement "Read" of policy (action *, resource *)']],
  },
  {
    name: 'the resource becomes *',
    kind: 'terraform',
    before: ROLE_POLICY,
    after: edit(ROLE_POLICY, '"arn:aws:s3:::acme-data/*"', '"*"'),
    expected: [['widened-iam', 's3:GetObject, s3:ListBucket on * in statement "Read" of policy (resource *)']],
  },
  {
    name: 'an Allow turns into NotAction',
    kind: 'terraform',
    before: ROLE_POLICY,
    after: edit(ROLE_POLICY, 'Action   =', 'NotAction ='),
    expected: [['widened-iam', 'NotAction:s3:GetObject,s3:ListBucket']],
  },
  {
    name: 'a policy document data source gains a public principal',
    kind: 'terraform',
    before: BUCKET_POLICY,
    after: edit(BUCKET_POLICY, '"arn:aws:iam::111122223333:root"', '"*"'),
    expected: [
      [
        'widened-iam',
        'aws_s3_bucket_policy.site gains Allow of s3:GetObject on ${aws_s3_bucket.site.arn}/* for principal * in statement "OfficeRead" of policy (from data.aws_iam_policy_document.site) (principal *)',
      ],
    ],
  },
  {
    name: 'a public statement loses its condition',
    kind: 'terraform',
    before: HEREDOC_PUBLIC,
    after: UNCONDITIONED,
    expected: [['widened-iam', 'aws_s3_bucket.legacy gains Allow of s3:GetObject on arn:aws:s3:::acme-legacy/* for principal *']],
  },
  {
    name: 'a Deny of insecure transport is dropped',
    kind: 'terraform',
    before: WITH_TLS_DENY,
    after: BUCKET_POLICY,
    expected: [
      [
        'widened-iam',
        'aws_s3_bucket_policy.site no longer denies s3:* on ${aws_s3_bucket.site.arn}, ${aws_s3_bucket.site.arn}/* for principal * (statement "DenyInsecureTransport"',
      ],
    ],
  },
  {
    name: 'a new Lambda permission trusts everyone',
    kind: 'terraform',
    before: '',
    after: edit(LAMBDA, '"s3.amazonaws.com"', '"*"'),
    expected: [['public-access', 'aws_lambda_permission.uploads lets anyone invoke the function (principal "*")']],
  },
  {
    name: 'a Lambda permission principal becomes *',
    kind: 'terraform',
    before: LAMBDA,
    after: edit(LAMBDA, '"s3.amazonaws.com"', '"*"'),
    expected: [['public-access', 'lets anyone invoke']],
  },
  {
    name: 'a bucket ACL becomes public',
    kind: 'terraform',
    before: ACL,
    after: edit(ACL, '"private"', '"public-read"'),
    expected: [['public-access', 'aws_s3_bucket_acl.site sets acl to "public-read": a canned ACL that may let everyone in']],
  },
  {
    name: 'a function URL drops its authorization',
    kind: 'terraform',
    before: FUNCTION_URL,
    after: edit(FUNCTION_URL, '"AWS_IAM"', '"NONE"'),
    expected: [
      ['public-access', 'aws_lambda_function_url.api lets anyone call the function URL without authorization (authorization_type "NONE")'],
    ],
  },
  {
    name: 'a bucket ACL grants AllUsers',
    kind: 'terraform',
    before: ACL_GRANTS,
    after: edit(
      ACL_GRANTS,
      '      permission = "READ"\n    }\n',
      '      permission = "READ"\n    }\n\n    grant {\n      grantee {\n        type = "Group"\n        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"\n      }\n      permission = "READ"\n    }\n',
    ),
    expected: [
      ['public-access', 'aws_s3_bucket_acl.site grants access to the AllUsers group (access_control_policy[0].grant[1].grantee[0].uri)'],
    ],
  },
  {
    name: 'a role (YAML) gets PowerUserAccess',
    kind: 'cloudformation',
    before: CFN_MANAGED,
    after: `${CFN_MANAGED}        - arn:aws:iam::aws:policy/PowerUserAccess\n`,
    expected: [['widened-iam', 'Ops attaches the AWS managed policy PowerUserAccess (ManagedPolicyArns)']],
  },
  {
    name: 'a role gets AdministratorAccess attached',
    kind: 'terraform',
    before: '',
    after:
      'resource "aws_iam_role_policy_attachment" "admin" {\n  role       = "app"\n  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}\n',
    expected: [['widened-iam', 'attaches the AWS managed policy AdministratorAccess (policy_arn)']],
  },
  {
    name: 'an inline role policy (YAML) grants * on *',
    kind: 'cloudformation',
    before: CFN_ROLE,
    after: edit(
      edit(CFN_ROLE, 'Action: [dynamodb:GetItem, dynamodb:Query]', "Action: '*'"),
      'Resource: !GetAtt Table.Arn',
      "Resource: '*'",
    ),
    expected: [
      [
        'widened-iam',
        'template.yaml: AppRole gains Allow of * on * in statement "Read" of Policies[0].PolicyDocument (action *, resource *)',
      ],
    ],
  },
  {
    name: 'a trust policy (YAML) trusts everyone',
    kind: 'cloudformation',
    before: CFN_ROLE,
    after: edit(CFN_ROLE, 'Principal: { Service: lambda.amazonaws.com }', "Principal: '*'"),
    expected: [
      ['widened-iam', 'AppRole gains Allow of sts:AssumeRole for principal * in statement #1 of AssumeRolePolicyDocument (principal *)'],
    ],
  },
  {
    name: 'a bucket policy (JSON) becomes public',
    kind: 'cloudformation',
    before: CFN_BUCKET_POLICY,
    after: edit(CFN_BUCKET_POLICY, '"AWS": "arn:aws:iam::444455556666:root"', '"AWS": "*"'),
    expected: [
      [
        'widened-iam',
        'template.json: BucketPolicy gains Allow of s3:GetObject on ${Bucket.Arn}/* for principal * in statement "Partner" of PolicyDocument (principal *)',
      ],
    ],
  },
  {
    name: 'a Lambda permission (YAML) trusts everyone',
    kind: 'cloudformation',
    before: CFN_PERMISSION,
    after: edit(CFN_PERMISSION, 'sns.amazonaws.com', "'*'"),
    expected: [['public-access', 'Permission lets anyone invoke the function (Principal "*")']],
  },
  {
    name: 'a bucket (JSON) gets a public canned ACL',
    kind: 'cloudformation',
    before: '{"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}}',
    after: '{"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"AccessControl": "PublicRead"}}}}',
    expected: [['public-access', 'Bucket sets AccessControl to "PublicRead": a canned ACL that may let everyone in']],
  },
];

const allowed: Row[] = [
  {
    name: 'a wildcard action is narrowed',
    kind: 'terraform',
    before: ADMIN,
    after: edit(ADMIN, 'Action   = "*"', 'Action   = "s3:GetObject"'),
    expected: [],
  },
  {
    name: 'a * resource is narrowed to a bucket',
    kind: 'terraform',
    before: edit(ROLE_POLICY, '"arn:aws:s3:::acme-data/*"', '"*"'),
    after: ROLE_POLICY,
    expected: [],
  },
  { name: 'a public statement gains a condition', kind: 'terraform', before: UNCONDITIONED, after: HEREDOC_PUBLIC, expected: [] },
  {
    name: 'a bucket policy gains a Deny of insecure transport',
    kind: 'terraform',
    before: BUCKET_POLICY,
    after: WITH_TLS_DENY,
    expected: [],
  },
  {
    name: 'an admin statement is split in two with the same grants',
    kind: 'terraform',
    before: ADMIN,
    after: edit(ADMIN, '    }]\n', '    }, {\n      Effect   = "Allow"\n      Action   = "*"\n      Resource = "*"\n    }]\n'),
    expected: [],
  },
  {
    name: 'a pre-existing admin statement is left as it is',
    kind: 'terraform',
    before: ADMIN,
    after: edit(ADMIN, 'name = "app"', 'name = "app-policy"'),
    expected: [],
  },
  {
    name: 'a narrow statement is added',
    kind: 'terraform',
    before: ROLE_POLICY,
    after: edit(
      ROLE_POLICY,
      '    }]\n',
      '    }, {\n      Effect   = "Allow"\n      Action   = "s3:PutObject"\n      Resource = "arn:aws:s3:::acme-data/uploads/*"\n    }]\n',
    ),
    expected: [],
  },
  {
    name: 'a public Lambda permission is narrowed to a service',
    kind: 'terraform',
    before: edit(LAMBDA, '"s3.amazonaws.com"', '"*"'),
    after: LAMBDA,
    expected: [],
  },
  {
    name: 'a public bucket ACL becomes private',
    kind: 'terraform',
    before: edit(ACL, '"private"', '"public-read"'),
    after: ACL,
    expected: [],
  },
  {
    name: 'an inline policy (YAML) is narrowed',
    kind: 'cloudformation',
    before: edit(CFN_ROLE, 'Action: [dynamodb:GetItem, dynamodb:Query]', 'Action: dynamodb:*'),
    after: CFN_ROLE,
    expected: [],
  },
  {
    name: 'a bucket policy (JSON) gains a Deny of HTTP',
    kind: 'cloudformation',
    before: CFN_BUCKET_POLICY,
    after: edit(
      CFN_BUCKET_POLICY,
      '"Statement": [',
      '"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [{"Fn::GetAtt": ["Bucket", "Arn"]}], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}, ',
    ),
    expected: [],
  },
];

describe('checkPatch: widened-iam', () => {
  it.each(violations)('reports it when $name', expectVerdict);
  it.each(allowed)('lets the patch pass when $name', expectVerdict);
});
