/** `widened-iam` on principals: trust and resource policies that let in someone they did not before. */
import { describe, it } from 'vitest';
import { edit, expectVerdict, type Row } from './judge.js';

const TRUST = `resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
`;

const DEPLOYERS = `resource "aws_iam_role" "deployer" {
  name               = "deployer"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role" "ci" {
  name               = "ci"
  assume_role_policy = data.aws_iam_policy_document.ci_trust.json
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.ci.arn]
    }
  }
}
`;

const QUEUE_POLICY = `resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sqs_queue_policy" "jobs" {
  queue_url = aws_sqs_queue.jobs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Producer"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/producer" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.jobs.arn
    }]
  })
}
`;

const CFN_TRUST = `Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
`;

const CFN_KEY = JSON.stringify(
  {
    Resources: {
      Key: {
        Type: 'AWS::KMS::Key',
        Properties: {
          KeyPolicy: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'Owner',
                Effect: 'Allow',
                Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:root' } },
                Action: 'kms:*',
                Resource: '*',
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

const violations: Row[] = [
  {
    name: 'a trust policy trusts another AWS account',
    kind: 'terraform',
    before: TRUST,
    after: edit(
      TRUST,
      '{ Service = "lambda.amazonaws.com" }',
      '{ Service = "lambda.amazonaws.com", AWS = "arn:aws:iam::999988887777:root" }',
    ),
    expected: [
      [
        'widened-iam',
        'main.tf: aws_iam_role.app gains Allow of sts:AssumeRole for principal AWS:arn:aws:iam::999988887777:root in statement #1 of assume_role_policy (new principal AWS:arn:aws:iam::999988887777:root)',
      ],
    ],
  },
  {
    name: 'a trust policy trusts another service',
    kind: 'terraform',
    before: TRUST,
    after: edit(TRUST, '"lambda.amazonaws.com"', '["lambda.amazonaws.com", "ec2.amazonaws.com"]'),
    expected: [['widened-iam', '(new principal Service:ec2.amazonaws.com)']],
  },
  {
    name: 'a trust policy gains a federated principal',
    kind: 'terraform',
    before: TRUST,
    after: edit(
      TRUST,
      '    }]\n',
      '    }, {\n      Effect    = "Allow"\n      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }\n      Action    = "sts:AssumeRoleWithWebIdentity"\n    }]\n',
    ),
    expected: [['widened-iam', 'new principal Federated:arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com']],
  },
  {
    name: 'a trust policy document swaps the role it trusts',
    kind: 'terraform',
    before: DEPLOYERS,
    after: edit(DEPLOYERS, '[aws_iam_role.ci.arn]', '[aws_iam_role.deployer.arn]'),
    expected: [
      [
        'widened-iam',
        'aws_iam_role.deployer gains Allow of sts:AssumeRole for principal AWS:${aws_iam_role.deployer.arn} in statement #1 of assume_role_policy (from data.aws_iam_policy_document.trust) (new principal AWS:${aws_iam_role.deployer.arn})',
      ],
    ],
  },
  {
    name: 'a queue policy lets in another account',
    kind: 'terraform',
    before: QUEUE_POLICY,
    after: edit(QUEUE_POLICY, '"arn:aws:iam::111122223333:role/producer"', '["arn:aws:iam::111122223333:role/producer", "444455556666"]'),
    expected: [
      [
        'widened-iam',
        'aws_sqs_queue_policy.jobs gains Allow of sqs:SendMessage on ${aws_sqs_queue.jobs.arn} for principal AWS:444455556666 in statement "Producer" of policy (new principal AWS:444455556666)',
      ],
    ],
  },
  {
    name: 'a queue policy gives its principal more actions',
    kind: 'terraform',
    before: QUEUE_POLICY,
    after: edit(QUEUE_POLICY, '"sqs:SendMessage"', '["sqs:SendMessage", "sqs:ReceiveMessage"]'),
    expected: [
      [
        'widened-iam',
        'gains Allow of sqs:ReceiveMessage on ${aws_sqs_queue.jobs.arn} for principal AWS:arn:aws:iam::111122223333:role/producer in statement "Producer" of policy (more access for principal',
      ],
    ],
  },
  {
    name: 'a trust policy (YAML) trusts another account',
    kind: 'cloudformation',
    before: CFN_TRUST,
    after: edit(
      CFN_TRUST,
      '              Service: lambda.amazonaws.com\n',
      '              Service: lambda.amazonaws.com\n              AWS: arn:aws:iam::999988887777:role/admin\n',
    ),
    expected: [
      [
        'widened-iam',
        'template.yaml: AppRole gains Allow of sts:AssumeRole for principal AWS:arn:aws:iam::999988887777:role/admin in statement #1 of AssumeRolePolicyDocument (new principal',
      ],
    ],
  },
  {
    name: 'a trust policy (YAML) trusts everyone',
    kind: 'cloudformation',
    before: CFN_TRUST,
    after: edit(CFN_TRUST, '            Principal:\n              Service: lambda.amazonaws.com\n', "            Principal: '*'\n"),
    expected: [['widened-iam', 'for principal * in statement #1 of AssumeRolePolicyDocument (principal *)']],
  },
  {
    name: 'a key policy (JSON) lets in another account',
    kind: 'cloudformation',
    before: CFN_KEY,
    after: edit(
      CFN_KEY,
      '"Resource": "*"\n            }',
      '"Resource": "*"\n            },\n            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": ["kms:Decrypt"], "Resource": "*"}',
    ),
    expected: [
      [
        'widened-iam',
        'template.json: Key gains Allow of kms:Decrypt on * for principal AWS:arn:aws:iam::999988887777:root in statement #2 of KeyPolicy (resource *, new principal AWS:arn:aws:iam::999988887777:root)',
      ],
    ],
  },
];

const allowed: Row[] = [
  {
    name: 'a trust policy gains a condition',
    kind: 'terraform',
    before: TRUST,
    after: edit(
      TRUST,
      '      Action    = "sts:AssumeRole"\n',
      '      Action    = "sts:AssumeRole"\n      Condition = { StringEquals = { "aws:SourceAccount" = "111122223333" } }\n',
    ),
    expected: [],
  },
  {
    name: 'a trust policy is reformatted',
    kind: 'terraform',
    before: TRUST,
    after: edit(TRUST, '{ Service = "lambda.amazonaws.com" }', '{\n        Service = ["lambda.amazonaws.com"]\n      }'),
    expected: [],
  },
  {
    name: 'a queue policy drops an action',
    kind: 'terraform',
    before: edit(QUEUE_POLICY, '"sqs:SendMessage"', '["sqs:SendMessage", "sqs:ReceiveMessage"]'),
    after: QUEUE_POLICY,
    expected: [],
  },
  {
    name: 'a queue policy gains a Deny for everyone',
    kind: 'terraform',
    before: QUEUE_POLICY,
    after: edit(
      QUEUE_POLICY,
      '    }]\n',
      '    }, {\n      Effect    = "Deny"\n      Principal = "*"\n      Action    = "sqs:*"\n      Resource  = aws_sqs_queue.jobs.arn\n      Condition = { Bool = { "aws:SecureTransport" = "false" } }\n    }]\n',
    ),
    expected: [],
  },
  {
    name: 'the role a trust document names stays while the role changes',
    kind: 'terraform',
    before: DEPLOYERS,
    after: edit(DEPLOYERS, 'name               = "deployer"', 'name               = "deployer"\n  max_session_duration = 3600'),
    expected: [],
  },
  {
    name: 'a trust policy (YAML) trusts one service less',
    kind: 'cloudformation',
    before: edit(CFN_TRUST, 'Service: lambda.amazonaws.com', 'Service: [lambda.amazonaws.com, edgelambda.amazonaws.com]'),
    after: CFN_TRUST,
    expected: [],
  },
  {
    name: 'a key policy (JSON) keeps its owner statement while gaining a description',
    kind: 'cloudformation',
    before: CFN_KEY,
    after: edit(CFN_KEY, '"KeyPolicy"', '"Description": "orders",\n          "KeyPolicy"'),
    expected: [],
  },
];

describe('checkPatch: widened-iam on principals', () => {
  it.each(violations)('reports it when $name', expectVerdict);
  it.each(allowed)('lets the patch pass when $name', expectVerdict);
});
