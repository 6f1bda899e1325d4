/** `widened-iam` on what statements allow: NotResource, privilege escalation, PassRole, and policies cloudmend cannot read. */
import { describe, it } from 'vitest';
import { edit, expectVerdict, type Row } from './judge.js';

const DEPLOY = `resource "aws_iam_policy" "deploy" {
  name = "deploy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "Artifacts"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = "arn:aws:s3:::acme-artifacts/*"
    }]
  })
}
`;

const WITH = (action: string, resource: string): string =>
  edit(
    DEPLOY,
    '    }]\n',
    `    }, {\n      Sid      = "Extra"\n      Effect   = "Allow"\n      Action   = ${action}\n      Resource = ${resource}\n    }]\n`,
  );

const DOCUMENT = `data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "OfficeRead"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::acme-site/*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}

resource "aws_s3_bucket_policy" "site" {
  bucket = "acme-site"
  policy = data.aws_iam_policy_document.bucket.json
}
`;

const CFN_POLICY = `Resources:
  Deploy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: Artifacts
            Effect: Allow
            Action: s3:GetObject
            Resource: arn:aws:s3:::acme-artifacts/*
`;

const violations: Row[] = [
  {
    name: 'an Allow gets NotResource',
    kind: 'terraform',
    before: DEPLOY,
    after: edit(DEPLOY, 'Resource =', 'NotResource ='),
    expected: [
      [
        'widened-iam',
        'aws_iam_policy.deploy gains Allow of s3:GetObject on NotResource:arn:aws:s3:::acme-artifacts/* in statement "Artifacts" of policy (resource NotResource:arn:aws:s3:::acme-artifacts/*)',
      ],
    ],
  },
  {
    name: 'iam:PassRole is allowed on *',
    kind: 'terraform',
    before: DEPLOY,
    after: WITH('"iam:PassRole"', '"*"'),
    expected: [
      [
        'widened-iam',
        'aws_iam_policy.deploy gains Allow of iam:PassRole on * in statement "Extra" of policy (iam:PassRole on any role, resource *)',
      ],
    ],
  },
  {
    name: 'iam:PassRole is allowed on every role',
    kind: 'terraform',
    before: DEPLOY,
    after: WITH('"iam:PassRole"', '"arn:aws:iam::111122223333:role/*"'),
    expected: [['widened-iam', '(iam:PassRole on any role, resource arn:aws:iam::111122223333:role/*)']],
  },
  {
    name: 'a statement lets the holder attach policies to a role',
    kind: 'terraform',
    before: DEPLOY,
    after: WITH('"iam:AttachRolePolicy"', '"arn:aws:iam::111122223333:role/deploy"'),
    expected: [['widened-iam', '(iam:AttachRolePolicy lets its holder grant itself more access)']],
  },
  {
    name: 'a statement allows every bucket',
    kind: 'terraform',
    before: DEPLOY,
    after: WITH('"s3:ListBucket"', '"arn:aws:s3:::*"'),
    expected: [['widened-iam', '(resource arn:aws:s3:::*)']],
  },
  {
    name: 'a statement takes its actions from a variable without default',
    kind: 'terraform',
    before: DEPLOY,
    after: `variable "actions" {\n  type = list(string)\n}\n\n${WITH('var.actions', '"*"')}`,
    expected: [['widened-iam', '(an action cloudmend cannot read, resource *)']],
  },
  {
    name: 'a policy is read from a file',
    kind: 'terraform',
    before: DEPLOY,
    after: edit(DEPLOY, DEPLOY.slice(DEPLOY.indexOf('jsonencode'), DEPLOY.lastIndexOf(')') + 1), 'file("${path.module}/deploy.json")'),
    expected: [
      [
        'widened-iam',
        'aws_iam_policy.deploy has a policy set to (a value cloudmend cannot evaluate: file() reads files where Terraform runs) in policy: cloudmend cannot read it, so it cannot rule out a widening',
      ],
      ['external-read', 'aws_iam_policy.deploy calls file(), which reads a file where Terraform runs'],
    ],
  },
  {
    name: 'a policy copies another policy',
    kind: 'terraform',
    before: DEPLOY,
    after: edit(DEPLOY, DEPLOY.slice(DEPLOY.indexOf('jsonencode'), DEPLOY.lastIndexOf(')') + 1), 'data.aws_iam_policy.admin.policy'),
    expected: [
      [
        'widened-iam',
        'aws_iam_policy.deploy has a policy set to ${data.aws_iam_policy.admin.policy} in policy: cloudmend cannot read it, so it cannot rule out a widening',
      ],
    ],
  },
  {
    name: 'a statement takes its effect from a conditional',
    kind: 'terraform',
    before: DEPLOY,
    after: edit(DEPLOY, 'Effect   = "Allow"', 'Effect   = var.open ? "Allow" : "Deny"'),
    expected: [
      [
        'widened-iam',
        'aws_iam_policy.deploy gains Allow of s3:GetObject on arn:aws:s3:::acme-artifacts/* in statement "Artifacts" of policy (an effect cloudmend cannot read)',
      ],
    ],
  },
  {
    name: 'a document statement uses not_principals',
    kind: 'terraform',
    before: DOCUMENT,
    after: edit(DOCUMENT, 'principals {', 'not_principals {'),
    expected: [
      [
        'widened-iam',
        'aws_s3_bucket_policy.site gains Allow of s3:GetObject on arn:aws:s3:::acme-site/* for principal * in statement "OfficeRead" of policy (from data.aws_iam_policy_document.bucket) (principal *)',
      ],
    ],
  },
  {
    name: 'a document gains a dynamic statement',
    kind: 'terraform',
    before: DOCUMENT,
    after: edit(
      DOCUMENT,
      '\n}\n\nresource',
      '\n\n  dynamic "statement" {\n    for_each = [1]\n    content {\n      actions   = ["s3:*"]\n      resources = ["*"]\n    }\n  }\n}\n\nresource',
    ),
    expected: [
      [
        'widened-iam',
        'gains Allow of s3:* on * in statement #2 of policy (from data.aws_iam_policy_document.bucket) (action s3:*, resource *)',
      ],
    ],
  },
  {
    name: 'a document gains an override document',
    kind: 'terraform',
    before: DOCUMENT,
    after: edit(
      DOCUMENT,
      '\n}\n\nresource',
      '\n\n  override_policy_documents = [jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:*", Resource = "*" }] })]\n}\n\nresource',
    ),
    expected: [
      [
        'widened-iam',
        'for principal * in statement #1 of policy (from data.aws_iam_policy_document.bucket) override_policy_documents[0] (principal *, action s3:*, resource *)',
      ],
    ],
  },
  {
    name: 'a managed policy (YAML) gets NotAction',
    kind: 'cloudformation',
    before: CFN_POLICY,
    after: edit(CFN_POLICY, 'Action: s3:GetObject', 'NotAction: s3:GetObject'),
    expected: [
      [
        'widened-iam',
        'Deploy gains Allow of NotAction:s3:GetObject on arn:aws:s3:::acme-artifacts/* in statement "Artifacts" of PolicyDocument (action NotAction:s3:GetObject)',
      ],
    ],
  },
  {
    name: 'a managed policy (YAML) gets NotResource',
    kind: 'cloudformation',
    before: CFN_POLICY,
    after: edit(CFN_POLICY, 'Resource: arn', 'NotResource: arn'),
    expected: [['widened-iam', '(resource NotResource:arn:aws:s3:::acme-artifacts/*)']],
  },
  {
    name: 'a managed policy (YAML) passes any role',
    kind: 'cloudformation',
    before: CFN_POLICY,
    after: `${CFN_POLICY}          - Effect: Allow\n            Action: iam:PassRole\n            Resource: '*'\n`,
    expected: [
      ['widened-iam', 'Deploy gains Allow of iam:PassRole on * in statement #2 of PolicyDocument (iam:PassRole on any role, resource *)'],
    ],
  },
  {
    name: 'a managed policy (YAML) becomes a parameter',
    kind: 'cloudformation',
    before: CFN_POLICY,
    after: `Parameters:\n  Document:\n    Type: String\n${CFN_POLICY.slice(0, CFN_POLICY.indexOf('        Version'))}`.replace(
      'PolicyDocument:\n',
      'PolicyDocument: !Ref Document\n',
    ),
    expected: [
      [
        'widened-iam',
        'Deploy has a policy set to (a value cloudmend cannot evaluate: parameter Document has no default: its valu… in PolicyDocument: cloudmend cannot read it, so it cannot rule out a widening',
      ],
    ],
  },
  {
    name: 'a managed policy (YAML) is written as a !Sub string',
    kind: 'cloudformation',
    before: CFN_POLICY,
    after: `${CFN_POLICY.slice(0, CFN_POLICY.indexOf('      PolicyDocument'))}      PolicyDocument: !Sub '{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:\${AWS::Partition}:s3:::*"}]}'\n`,
    expected: [
      [
        'widened-iam',
        'Deploy gains Allow of * on arn:${AWS::Partition}:s3:::* in statement #1 of PolicyDocument (action *, resource arn:${AWS::Partition}:s3:::*)',
      ],
    ],
  },
];

const allowed: Row[] = [
  {
    name: 'iam:PassRole is allowed on one role',
    kind: 'terraform',
    before: DEPLOY,
    after: WITH('"iam:PassRole"', '"arn:aws:iam::111122223333:role/app"'),
    expected: [],
  },
  {
    name: "a statement allows one bucket's objects",
    kind: 'terraform',
    before: DEPLOY,
    after: WITH('"s3:PutObject"', '"arn:aws:s3:::acme-artifacts/uploads/*"'),
    expected: [],
  },
  {
    name: 'a policy read from a file stays as it is',
    kind: 'terraform',
    before: edit(DEPLOY, DEPLOY.slice(DEPLOY.indexOf('jsonencode'), DEPLOY.lastIndexOf(')') + 1), 'file("deploy.json")'),
    after: edit(
      edit(DEPLOY, DEPLOY.slice(DEPLOY.indexOf('jsonencode'), DEPLOY.lastIndexOf(')') + 1), 'file("deploy.json")'),
      'name = "deploy"',
      'name = "deploy-v2"',
    ),
    expected: [],
  },
  {
    name: 'a document gains a source document from the module',
    kind: 'terraform',
    before: DOCUMENT,
    after: `data "aws_iam_policy_document" "base" {\n  statement {\n    effect    = "Deny"\n    actions   = ["s3:DeleteObject"]\n    resources = ["arn:aws:s3:::acme-site/*"]\n  }\n}\n\n${edit(DOCUMENT, '\n}\n\nresource', '\n\n  source_policy_documents = [data.aws_iam_policy_document.base.json]\n}\n\nresource')}`,
    expected: [],
  },
  {
    name: 'a managed policy (YAML) becomes a !Sub string with the same grants',
    kind: 'cloudformation',
    before: CFN_POLICY,
    after: `${CFN_POLICY.slice(0, CFN_POLICY.indexOf('      PolicyDocument'))}      PolicyDocument: !Sub '{"Statement": [{"Sid": "Artifacts", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-artifacts/*"}]}'\n`,
    expected: [],
  },
];

describe('checkPatch: widened-iam on statements', () => {
  it.each(violations)('reports it when $name', expectVerdict);
  it.each(allowed)('lets the patch pass when $name', expectVerdict);
});
