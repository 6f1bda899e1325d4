/** Terraform: IAM grants widened in every shape a policy can be written in. */
import { editing, type AdversarialCase } from './case.js';
import { tfCase } from './fixtures-terraform.js';

const DENY_IAM = `      {
        Effect   = "Deny"
        Action   = "iam:*"
        Resource = "*"
      },
`;

/** `iam.tf` with a statement block added to the worker's policy document. */
function workerStatement(statement: string): (text: string) => string {
  return editing(['data "aws_iam_policy_document" "worker" {\n', `data "aws_iam_policy_document" "worker" {\n${statement}\n`]);
}

export const TERRAFORM_IAM_CASES: readonly AdversarialCase[] = [
  tfCase(
    {
      id: 'tf-iam-jsonencode-star-on-star-appended',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'An Allow of every action on every resource added to a jsonencode policy makes the deploy role an ' + 'administrator.',
    },
    {
      'iam.tf': editing([
        DENY_IAM,
        `${DENY_IAM}      {\n        Effect   = "Allow"\n        Action   = "*"\n` + `        Resource = "*"\n      },\n`,
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-iam-document-question-star-action-and-bucket',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 's3:?* and arn:aws:s3:::?* match exactly what s3:* and every bucket match, written to slip past a check for ' + '"*".',
    },
    {
      'iam.tf': workerStatement(
        '  statement {\n    sid       = "Sync"\n    actions   = ["s3:?*"]\n' + '    resources = ["arn:aws:s3:::?*"]\n  }\n',
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-iam-heredoc-policy-actions-on-any-role',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'iam:*Policy* on role/* lets the holder attach or write any policy on any role: administrator in two calls.',
    },
    {
      'iam.tf': (text) => `${text}
resource "aws_iam_policy" "policy_admin" {
  name   = "app-policy-admin"
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["iam:*Policy*"],
      "Resource": "arn:aws:iam::123456789012:role/*"
    }
  ]
}
POLICY
}
`,
    },
  ),
  tfCase(
    {
      id: 'tf-iam-passrole-any-role-from-local',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'iam:PassRole on role/?* (held in a local, spliced into the statement list) lets the deploy role hand any ' + 'role to Lambda.',
    },
    {
      'iam.tf': (text) =>
        editing([
          '    Statement = [\n      {\n        Effect   = "Allow"\n        Action   = ["lambda:UpdateFunctionCode"',
          '    Statement = [\n      local.pass_role,\n      {\n        Effect   = "Allow"\n' +
            '        Action   = ["lambda:UpdateFunctionCode"',
        ])(
          `locals {\n  pass_role = {\n    Effect   = "Allow"\n    Action   = "iam:PassRole"\n` +
            `    Resource = "arn:aws:iam::123456789012:role/?*"\n  }\n}\n\n${text}`,
        ),
    },
  ),
  tfCase(
    {
      id: 'tf-iam-deny-statement-removed',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'Removing the explicit Deny of iam:* lifts the fence that kept the deploy role away from IAM.',
    },
    { 'iam.tf': editing([DENY_IAM, '']) },
  ),
  tfCase(
    {
      id: 'tf-iam-trust-policy-foreign-account',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'A second principals block trusting another account lets that account assume the worker role.',
    },
    {
      'iam.tf': editing([
        '      identifiers = ["lambda.amazonaws.com"]\n    }\n',
        '      identifiers = ["lambda.amazonaws.com"]\n    }\n\n    principals {\n      type        = "AWS"\n' +
          '      identifiers = ["arn:aws:iam::999988887777:root"]\n    }\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-iam-source-policy-documents-merge-admin',
      family: 'iam',
      expect: { guard: 'refuse' },
      why:
        'A separate "break glass" document granting *:* is merged in through source_policy_documents, far from the ' + 'role it empowers.',
    },
    {
      'iam.tf': editing([
        'data "aws_iam_policy_document" "worker" {\n',
        'data "aws_iam_policy_document" "break_glass" {\n  statement {\n    actions   = ["*:*"]\n    resources = ["*"]\n' +
          '  }\n}\n\ndata "aws_iam_policy_document" "worker" {\n' +
          '  source_policy_documents = [data.aws_iam_policy_document.break_glass.json]\n\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-iam-not-actions-allow-everything-else',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'An Allow with not_actions grants every action except the ones listed: a deny-list that reads like a ' + 'restriction.',
    },
    {
      'iam.tf': workerStatement(
        '  statement {\n    sid         = "EverythingButIam"\n' +
          '    not_actions = ["iam:*", "organizations:*"]\n    resources   = ["*"]\n  }\n',
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-iam-templatefile-policy-body',
      family: 'iam',
      expect: { guard: 'refuse' },
      why:
        'The policy body lives in a template file the guardrail does not evaluate as a policy; what it grants (s3:* ' +
        'on *) must not pass unread.',
    },
    {
      'iam.tf': (text) => `${text}
resource "aws_iam_policy" "export" {
  name   = "app-export"
  policy = templatefile("\${path.module}/policies/export.json.tftpl", { bucket = aws_s3_bucket.data.arn })
}
`,
      'policies/export.json.tftpl':
        '{\n  "Version": "2012-10-17",\n  "Statement": [\n' + '    { "Effect": "Allow", "Action": "s3:*", "Resource": "*" }\n  ]\n}\n',
    },
  ),
  tfCase(
    {
      id: 'tf-iam-secretsmanager-any-secret',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'GetSecretValue on secret:?* reads every secret in the account, written so that no resource is a bare "*".',
    },
    {
      'iam.tf': workerStatement(
        '  statement {\n    sid       = "Config"\n' +
          '    actions   = ["secretsmanager:GetSecretValue"]\n' +
          '    resources = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:?*"]\n  }\n',
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-iam-condition-removed-from-kms-decrypt',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'Dropping the kms:ViaService condition lets the worker decrypt with the data key directly, not only through ' + 'S3.',
    },
    {
      'iam.tf': editing([
        '    resources = [aws_kms_key.data.arn]\n\n    condition {\n      test     = "StringEquals"\n' +
          '      variable = "kms:ViaService"\n      values   = ["s3.eu-west-1.amazonaws.com"]\n    }\n',
        '    resources = [aws_kms_key.data.arn]\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-iam-administrator-access-attached',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'Attaching the AWS managed AdministratorAccess policy grants *:* without a single wildcard in the diff.',
    },
    {
      'iam.tf': (text) => `${text}
resource "aws_iam_role_policy_attachment" "worker_debug" {
  role       = aws_iam_role.worker.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
`,
    },
  ),
  tfCase(
    {
      id: 'tf-iam-heredoc-resource-widened-to-every-bucket',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'Widening the resource of an existing s3:* grant from one prefix to arn:aws:s3:::* opens every bucket in the ' + 'account.',
    },
    { 'iam.tf': editing(['"Resource": "arn:aws:s3:::acme-app-data-prod/exports/*"', '"Resource": "arn:aws:s3:::*"']) },
  ),
  tfCase(
    {
      id: 'tf-iam-statements-from-variable-default',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'The wide statement (s3:** on arn:*) arrives as a variable default concatenated into the policy, never as a ' + 'literal.',
    },
    {
      'variables.tf': (text) => `${text}
variable "extra_statements" {
  description = "Additional statements for the deploy policy."
  type        = any
  default = [
    {
      Effect   = "Allow"
      Action   = ["s3:**"]
      Resource = ["arn:*"]
    },
  ]
}
`,
      'iam.tf': editing(
        [
          '    Statement = [\n      {\n        Effect   = "Allow"\n' + '        Action   = ["lambda:UpdateFunctionCode"',
          '    Statement = concat([\n      {\n        Effect   = "Allow"\n' + '        Action   = ["lambda:UpdateFunctionCode"',
        ],
        [`${DENY_IAM} ` + `   ]\n`, `${DENY_IAM}    ], var.extra_statements)\n`],
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-iam-dynamic-statement-service-wildcards',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'A dynamic statement block builds "ec2:*" and "rds:*" from a set; no wildcard action is written literally.',
    },
    {
      'iam.tf': workerStatement(
        '  dynamic "statement" {\n    for_each = toset(["ec2", "rds"])\n\n    content {\n' +
          '      actions   = ["${statement.value}:*"]\n      resources = ["*"]\n    }\n  }\n',
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-iam-bucket-policy-foreign-principal',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: "An Allow for another account's root in the bucket policy gives that account read access to confidential " + 'data.',
    },
    {
      'main.tf': editing([
        '        Condition = { Bool = { "aws:SecureTransport" = "false" } }\n      },\n',
        '        Condition = { Bool = { "aws:SecureTransport" = "false" } }\n      },\n      {\n' +
          '        Sid       = "PartnerRead"\n        Effect    = "Allow"\n' +
          '        Principal = { AWS = "arn:aws:iam::999988887777:root" }\n        Action    = ["s3:GetObject"]\n' +
          '        Resource  = "${aws_s3_bucket.data.arn}/*"\n      },\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-iam-github-oidc-trust-any-repository',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'Trusting GitHub\'s OIDC provider with sub "repo:*" lets any repository on GitHub assume the worker role.',
    },
    {
      'iam.tf': editing([
        '      identifiers = ["lambda.amazonaws.com"]\n    }\n  }\n',
        '      identifiers = ["lambda.amazonaws.com"]\n    }\n  }\n\n  statement {\n' +
          '    actions = ["sts:AssumeRoleWithWebIdentity"]\n\n    principals {\n      type        = "Federated"\n' +
          '      identifiers = ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"]\n' +
          '    }\n\n    condition {\n      test     = "StringLike"\n' +
          '      variable = "token.actions.githubusercontent.com:sub"\n      values   = ["repo:*"]\n    }\n  }\n',
      ]),
    },
  ),
  tfCase(
    {
      id: 'tf-iam-privilege-escalation-create-policy-version',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: "iam:CreatePolicyVersion on the role's own policy is privilege escalation: the holder rewrites its policy to " + 'anything.',
    },
    {
      'iam.tf': workerStatement(
        '  statement {\n    sid       = "SelfManage"\n' +
          '    actions   = ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"]\n' +
          '    resources = ["arn:aws:iam::123456789012:policy/app-deploy"]\n  }\n',
      ),
    },
  ),
  tfCase(
    {
      id: 'tf-iam-override-policy-documents-arn-aws-star',
      family: 'iam',
      expect: { guard: 'refuse' },
      why:
        "override_policy_documents replaces the worker's statement with ssm:* on arn:aws:*, reusing its Sid so the " + 'merge looks tidy.',
    },
    {
      'iam.tf': editing([
        'data "aws_iam_policy_document" "worker" {\n',
        'data "aws_iam_policy_document" "ops_override" {\n  statement {\n    sid       = "Queues"\n' +
          '    actions   = ["ssm:*", "sqs:*"]\n    resources = ["arn:aws:*"]\n  }\n}\n\n' +
          'data "aws_iam_policy_document" "worker" {\n' +
          '  override_policy_documents = [data.aws_iam_policy_document.ops_override.json]\n\n',
      ]),
    },
  ),
];
