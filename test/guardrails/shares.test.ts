/** `widened-iam` outside policy documents: sharing, permissions, attachments, execution roles, open API methods. */
import { describe, it } from 'vitest';
import { edit, expectVerdict, type Row } from './judge.js';

const AMI = 'resource "aws_ami_launch_permission" "golden" {\n  image_id   = "ami-0123456789abcdef0"\n  account_id = "111122223333"\n}\n';
const SNAPSHOT =
  'resource "aws_db_snapshot" "orders" {\n  db_instance_identifier = "orders"\n  db_snapshot_identifier = "orders-2024"\n  shared_accounts        = ["111122223333"]\n}\n';
const VOLUME =
  'resource "aws_snapshot_create_volume_permission" "backup" {\n  snapshot_id = "snap-0123456789abcdef0"\n  account_id  = "111122223333"\n}\n';
const PERMISSION = `resource "aws_lambda_permission" "uploads" {
  statement_id   = "AllowS3"
  action         = "lambda:InvokeFunction"
  function_name  = "thumbnails"
  principal      = "s3.amazonaws.com"
  source_arn     = "arn:aws:s3:::acme-uploads"
  source_account = "111122223333"
}
`;
const FUNCTION =
  'resource "aws_lambda_function" "api" {\n  function_name = "api"\n  role          = aws_iam_role.api.arn\n  handler       = "index.handler"\n  runtime       = "nodejs20.x"\n  s3_bucket     = "acme-artifacts"\n  s3_key        = "api.zip"\n}\n';
const INLINE =
  'resource "aws_iam_role_policy" "read" {\n  name   = "read"\n  role   = "app"\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-data/*" }] })\n}\n';
const METHOD =
  'resource "aws_api_gateway_method" "get" {\n  rest_api_id   = "a1b2c3"\n  resource_id   = "d4e5f6"\n  http_method   = "GET"\n  authorization = "AWS_IAM"\n}\n';

const CFN_PERMISSION = `Resources:
  Permission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: thumbnails
      Principal: sns.amazonaws.com
      SourceArn: arn:aws:sns:us-east-1:111122223333:alerts
`;
const CFN_ROLE = `Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
  ReadPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: read
      Roles: [!Ref AppRole]
      PolicyDocument: { Statement: [{ Effect: Allow, Action: s3:GetObject, Resource: 'arn:aws:s3:::acme-data/*' }] }
  Handler:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt AppRole.Arn
      Code: { S3Bucket: acme-artifacts, S3Key: handler.zip }
`;
const CFN_METHOD =
  'Resources:\n  Get:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: a1b2c3\n      ResourceId: d4e5f6\n      HttpMethod: GET\n      AuthorizationType: AWS_IAM\n';

const violations: Row[] = [
  {
    name: 'an AMI is made public',
    kind: 'terraform',
    before: AMI,
    after: edit(AMI, 'account_id = "111122223333"', 'group      = "all"'),
    expected: [['public-access', 'main.tf: aws_ami_launch_permission.golden lets anyone launch the AMI (group "all")']],
  },
  {
    name: 'an AMI is shared with another account',
    kind: 'terraform',
    before: AMI,
    after: edit(AMI, '"111122223333"', '"999988887777"'),
    expected: [['widened-iam', 'aws_ami_launch_permission.golden lets 999988887777 launch the AMI (account_id, new)']],
  },
  {
    name: 'a database snapshot is made public',
    kind: 'terraform',
    before: SNAPSHOT,
    after: edit(SNAPSHOT, '["111122223333"]', '["111122223333", "all"]'),
    expected: [['public-access', 'aws_db_snapshot.orders lets anyone restore the snapshot (shared_accounts "all")']],
  },
  {
    name: 'an EBS snapshot is shared with a new account',
    kind: 'terraform',
    before: '',
    after: VOLUME,
    expected: [
      ['widened-iam', 'aws_snapshot_create_volume_permission.backup lets 111122223333 create volumes from the snapshot (account_id, new)'],
    ],
  },
  {
    name: 'a Lambda permission trusts another account',
    kind: 'terraform',
    before: PERMISSION,
    after: edit(PERMISSION, '"s3.amazonaws.com"', '"999988887777"'),
    expected: [['widened-iam', 'aws_lambda_permission.uploads lets 999988887777 invoke the function (principal, new)']],
  },
  {
    name: 'a Lambda permission drops its source account',
    kind: 'terraform',
    before: PERMISSION,
    after: edit(PERMISSION, '  source_account = "111122223333"\n', ''),
    expected: [['widened-iam', 'aws_lambda_permission.uploads drops source_account 111122223333']],
  },
  {
    name: 'a Lambda permission changes its source',
    kind: 'terraform',
    before: PERMISSION,
    after: edit(PERMISSION, 'acme-uploads', 'attacker-uploads'),
    expected: [['widened-iam', 'changes source_arn from arn:aws:s3:::acme-uploads to arn:aws:s3:::attacker-uploads']],
  },
  {
    name: 'a function runs as another role',
    kind: 'terraform',
    before: FUNCTION,
    after: edit(FUNCTION, 'aws_iam_role.api.arn', '"arn:aws:iam::111122223333:role/admin"'),
    expected: [
      ['widened-iam', 'aws_lambda_function.api changes role from ${aws_iam_role.api.arn} to arn:aws:iam::111122223333:role/admin'],
    ],
  },
  {
    name: 'an inline policy moves to another role',
    kind: 'terraform',
    before: INLINE,
    after: edit(INLINE, 'role   = "app"', 'role   = "admin"'),
    expected: [['widened-iam', 'aws_iam_role_policy.read attaches to admin (role, new)']],
  },
  {
    name: 'a customer managed policy is attached',
    kind: 'terraform',
    before: '',
    after:
      'resource "aws_iam_role_policy_attachment" "ops" {\n  role       = "app"\n  policy_arn = "arn:aws:iam::111122223333:policy/ops"\n}\n',
    expected: [['widened-iam', 'aws_iam_role_policy_attachment.ops attaches arn:aws:iam::111122223333:policy/ops (policy_arn, new)']],
  },
  {
    name: 'a user joins the admins group',
    kind: 'terraform',
    before: '',
    after: 'resource "aws_iam_user_group_membership" "ci" {\n  user   = "ci"\n  groups = ["admins"]\n}\n',
    expected: [['widened-iam', 'aws_iam_user_group_membership.ci adds the user to admins (groups, new)']],
  },
  {
    name: 'a KMS grant appears',
    kind: 'terraform',
    before: '',
    after:
      'resource "aws_kms_grant" "ci" {\n  key_id            = "1234abcd-12ab-34cd-56ef-1234567890ab"\n  grantee_principal = "arn:aws:iam::999988887777:root"\n  operations        = ["Decrypt"]\n}\n',
    expected: [['widened-iam', 'aws_kms_grant.ci lets arn:aws:iam::999988887777:root use the KMS key (grantee_principal, new)']],
  },
  {
    name: 'an access key is created for a user',
    kind: 'terraform',
    before: '',
    after: 'resource "aws_iam_access_key" "ci" {\n  user = "deploy-bot"\n}\n',
    expected: [['widened-iam', 'aws_iam_access_key.ci creates credentials for deploy-bot (user, new)']],
  },
  {
    name: 'a role loses its permissions boundary',
    kind: 'terraform',
    before:
      'resource "aws_iam_role" "ci" {\n  name                 = "ci"\n  assume_role_policy   = "{}"\n  permissions_boundary = "arn:aws:iam::111122223333:policy/boundary"\n}\n',
    after: 'resource "aws_iam_role" "ci" {\n  name                 = "ci"\n  assume_role_policy   = "{}"\n}\n',
    expected: [['widened-iam', 'aws_iam_role.ci drops permissions_boundary arn:aws:iam::111122223333:policy/boundary']],
  },
  {
    name: 'a REST API method drops its authorization',
    kind: 'terraform',
    before: METHOD,
    after: edit(METHOD, '"AWS_IAM"', '"NONE"'),
    expected: [['public-access', 'aws_api_gateway_method.get lets anyone call GET without authorization (authorization "NONE")']],
  },
  {
    name: 'an HTTP API route appears without authorization',
    kind: 'terraform',
    before: '',
    after:
      'resource "aws_apigatewayv2_route" "admin" {\n  api_id    = "a1b2c3"\n  route_key = "POST /admin"\n  target    = "integrations/x1y2z3"\n}\n',
    expected: [
      [
        'public-access',
        'aws_apigatewayv2_route.admin lets anyone call POST /admin without authorization (no authorization_type, which defaults to NONE)',
      ],
    ],
  },
  {
    name: 'a Lambda permission (YAML) trusts another account',
    kind: 'cloudformation',
    before: CFN_PERMISSION,
    after: edit(CFN_PERMISSION, 'Principal: sns.amazonaws.com', "Principal: '999988887777'"),
    expected: [['widened-iam', 'template.yaml: Permission lets 999988887777 invoke the function (Principal, new)']],
  },
  {
    name: 'a layer (YAML) is shared with everyone',
    kind: 'cloudformation',
    before: CFN_PERMISSION,
    after: `${CFN_PERMISSION}  LayerShare:\n    Type: AWS::Lambda::LayerVersionPermission\n    Properties:\n      Action: lambda:GetLayerVersion\n      LayerVersionArn: arn:aws:lambda:us-east-1:111122223333:layer:common:3\n      Principal: '*'\n`,
    expected: [['public-access', 'LayerShare lets anyone use the layer (Principal "*")']],
  },
  {
    name: 'a role (YAML) gets a customer managed policy',
    kind: 'cloudformation',
    before: CFN_ROLE,
    after: edit(CFN_ROLE, 'AWSLambdaBasicExecutionRole\n', 'AWSLambdaBasicExecutionRole\n        - arn:aws:iam::111122223333:policy/ops\n'),
    expected: [['widened-iam', 'AppRole attaches arn:aws:iam::111122223333:policy/ops (ManagedPolicyArns, new)']],
  },
  {
    name: 'a policy (YAML) is attached to another role',
    kind: 'cloudformation',
    before: CFN_ROLE,
    after: edit(CFN_ROLE, 'Roles: [!Ref AppRole]', 'Roles: [!Ref AppRole, BreakGlass]'),
    expected: [['widened-iam', 'ReadPolicy attaches to BreakGlass (Roles, new)']],
  },
  {
    name: 'a function (YAML) runs as another role',
    kind: 'cloudformation',
    before: CFN_ROLE,
    after: edit(CFN_ROLE, 'Role: !GetAtt AppRole.Arn', 'Role: arn:aws:iam::111122223333:role/admin'),
    expected: [['widened-iam', 'Handler changes Role from ${AppRole.Arn} to arn:aws:iam::111122223333:role/admin']],
  },
  {
    name: 'a REST API method (YAML) drops its authorization',
    kind: 'cloudformation',
    before: CFN_METHOD,
    after: edit(CFN_METHOD, '      AuthorizationType: AWS_IAM\n', ''),
    expected: [['public-access', 'Get lets anyone call GET without authorization (no AuthorizationType, which defaults to NONE)']],
  },
  {
    name: 'a function URL (JSON) needs no authorization',
    kind: 'cloudformation',
    before:
      '{"Resources": {"Url": {"Type": "AWS::Lambda::Url", "Properties": {"TargetFunctionArn": "arn:aws:lambda:us-east-1:111122223333:function:api", "AuthType": "AWS_IAM"}}}}',
    after:
      '{"Resources": {"Url": {"Type": "AWS::Lambda::Url", "Properties": {"TargetFunctionArn": "arn:aws:lambda:us-east-1:111122223333:function:api", "AuthType": "NONE"}}}}',
    expected: [['public-access', 'template.json: Url lets anyone call the function URL without authorization (AuthType "NONE")']],
  },
];

const allowed: Row[] = [
  {
    name: 'an AMI launch permission is unchanged',
    kind: 'terraform',
    before: `${AMI}\n${SNAPSHOT}`,
    after: `${AMI}\n${edit(SNAPSHOT, '"orders-2024"', '"orders-2024-01"')}`,
    expected: [['replacement', 'aws_db_snapshot.orders changes db_snapshot_identifier']],
  },
  {
    name: 'a Lambda permission is narrowed from anyone to a service',
    kind: 'terraform',
    before: edit(PERMISSION, '"s3.amazonaws.com"', '"*"'),
    after: PERMISSION,
    expected: [],
  },
  {
    name: 'a Lambda permission gains a source account',
    kind: 'terraform',
    before: edit(PERMISSION, '  source_account = "111122223333"\n', ''),
    after: PERMISSION,
    expected: [],
  },
  { name: 'a new inline policy grants one bucket', kind: 'terraform', before: '', after: INLINE, expected: [] },
  {
    name: 'a function changes its memory',
    kind: 'terraform',
    before: FUNCTION,
    after: edit(FUNCTION, '  runtime       = "nodejs20.x"\n', '  runtime       = "nodejs20.x"\n  memory_size   = 256\n'),
    expected: [],
  },
  {
    name: 'a REST API method gets authorization',
    kind: 'terraform',
    before: edit(METHOD, '"AWS_IAM"', '"NONE"'),
    after: METHOD,
    expected: [],
  },
  {
    name: 'a CORS preflight method needs no authorization',
    kind: 'terraform',
    before: '',
    after: edit(edit(METHOD, '"GET"', '"OPTIONS"'), '"AWS_IAM"', '"NONE"'),
    expected: [],
  },
  {
    name: 'a role (YAML) loses a managed policy',
    kind: 'cloudformation',
    before: edit(
      CFN_ROLE,
      'AWSLambdaBasicExecutionRole\n',
      'AWSLambdaBasicExecutionRole\n        - arn:aws:iam::111122223333:policy/ops\n',
    ),
    after: CFN_ROLE,
    expected: [],
  },
  {
    name: 'a Lambda permission (YAML) gains a source account',
    kind: 'cloudformation',
    before: CFN_PERMISSION,
    after: `${CFN_PERMISSION}      SourceAccount: '111122223333'\n`,
    expected: [],
  },
  {
    name: 'an HTTP API route (YAML) uses a JWT authorizer',
    kind: 'cloudformation',
    before: CFN_METHOD,
    after: `${CFN_METHOD}  Admin:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: a1b2c3\n      RouteKey: POST /admin\n      AuthorizationType: JWT\n      AuthorizerId: abc123\n`,
    expected: [],
  },
];

describe('checkPatch: widened-iam outside policy documents', () => {
  it.each(violations)('reports it when $name', expectVerdict);
  it.each(allowed)('lets the patch pass when $name', expectVerdict);
});
