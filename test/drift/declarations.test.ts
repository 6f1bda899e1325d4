/** Reading declarations as partial values: what resolves, what stays unknown, and never a guess. */
import { describe, expect, it } from 'vitest';
import { CfnReader } from '../../src/drift/cloudformation.js';
import { sourceOf } from '../../src/drift/index.js';
import { matches, stableKey, Unknown, type Partial, type PObject } from '../../src/drift/partial.js';
import { TfReader, tfDefaultTags } from '../../src/drift/terraform.js';
import type { TfModule } from '../../src/iac/terraform/module.js';

function tf(text: string): { module: TfModule; reader: TfReader; props: (address: string) => PObject } {
  const source = sourceOf('terraform', [{ path: 'main.tf', text }]);
  if (source.kind !== 'terraform') throw new Error('terraform expected');
  const reader = new TfReader(source.module);
  return {
    module: source.module,
    reader,
    props: (address) => {
      const r = source.module.resources.find((x) => x.address === address);
      if (!r) throw new Error(`no ${address}`);
      return reader.tree(r.block.body);
    },
  };
}

function cfn(text: string): (id: string) => PObject {
  const source = sourceOf('cloudformation', [{ path: 'template.yaml', text }]);
  if (source.kind !== 'cloudformation') throw new Error('cloudformation expected');
  const reader = new CfnReader(source.template, { account: '111122223333', region: 'eu-west-1', partition: 'aws' });
  return (id) => {
    const r = source.template.resources.find((x) => x.logicalId === id);
    if (!r) throw new Error(`no ${id}`);
    return reader.props(r);
  };
}

describe('Terraform declarations', () => {
  it('leaves variables unknown even with a default, and resolves locals', () => {
    const { props } = tf(
      'variable "size" {\n  default = 256\n}\nlocals {\n  runtime = "python3.12"\n}\nresource "aws_lambda_function" "f" {\n  memory_size = var.size\n  runtime = local.runtime\n}\n',
    );
    const p = props('aws_lambda_function.f');
    expect(p.memory_size).toBeInstanceOf(Unknown);
    expect((p.memory_size as Unknown).source).toBe('var.size');
    expect(p.runtime).toBe('python3.12');
  });

  it('reads nested blocks as lists and dynamic blocks as unknown elements', () => {
    const { props } = tf(
      'resource "aws_security_group" "g" {\n  ingress {\n    from_port = 443\n    to_port = 443\n    protocol = "tcp"\n  }\n  dynamic "ingress" {\n    for_each = var.rules\n    content {\n      from_port = ingress.value\n    }\n  }\n}\n',
    );
    const ingress = props('aws_security_group.g').ingress as Partial[];
    expect(ingress).toHaveLength(2);
    expect(ingress[0]).toEqual({ from_port: 443, to_port: 443, protocol: 'tcp' });
    expect(ingress[1]).toBeInstanceOf(Unknown);
  });

  it('makes attributes under lifecycle ignore_changes unknown: the code accepts any live value', () => {
    const { props } = tf(
      'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  tags = { a = "1" }\n  lifecycle {\n    ignore_changes = [tags]\n  }\n}\n',
    );
    expect(props('aws_s3_bucket.b').tags).toBeInstanceOf(Unknown);
    expect(props('aws_s3_bucket.b').bucket).toBe('x');
  });

  it('reads jsonencode as the document and a heredoc with interpolations as JSON with unknown leaves', () => {
    const { props } = tf(
      'resource "aws_iam_policy" "p" {\n  policy = <<-EOT\n    {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "${aws_s3_bucket.b.arn}/*"}]}\n  EOT\n}\nresource "aws_s3_bucket" "b" {\n  bucket = "acme-logs"\n}\nresource "aws_iam_policy" "q" {\n  policy = jsonencode({ Statement = [] })\n}\n',
    );
    const doc = props('aws_iam_policy.p').policy as { Statement: { Resource: Partial }[] };
    const resource = doc.Statement[0]?.Resource;
    expect(resource).toBeInstanceOf(Unknown);
    expect(matches(resource, 'arn:aws:s3:::acme-logs/*')).toBe(true);
    expect(matches(resource, 'arn:aws:s3:::other/*')).toBe(false);
    expect(props('aws_iam_policy.q').policy).toEqual({ Statement: [] });
  });

  it('renders aws_iam_policy_document data sources as the JSON Terraform would produce', () => {
    const { props } = tf(
      'data "aws_iam_policy_document" "d" {\n  statement {\n    actions = ["sts:AssumeRole"]\n    principals {\n      type = "Service"\n      identifiers = ["ec2.amazonaws.com"]\n    }\n    condition {\n      test = "StringEquals"\n      variable = "aws:SourceAccount"\n      values = ["111122223333"]\n    }\n  }\n}\nresource "aws_iam_role" "r" {\n  assume_role_policy = data.aws_iam_policy_document.d.json\n}\n',
    );
    expect(props('aws_iam_role.r').assume_role_policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['sts:AssumeRole'],
          Principal: { Service: ['ec2.amazonaws.com'] },
          Condition: { StringEquals: { 'aws:SourceAccount': ['111122223333'] } },
        },
      ],
    });
  });

  it('turns a reference to a role declared with a name into a pattern for its ARN', () => {
    const { props } = tf(
      'resource "aws_iam_role" "app" {\n  name = "acme-app"\n  path = "/svc/"\n}\nresource "aws_lambda_function" "f" {\n  role = aws_iam_role.app.arn\n}\n',
    );
    const role = props('aws_lambda_function.f').role;
    expect(matches(role, 'arn:aws:iam::111122223333:role/svc/acme-app')).toBe(true);
    expect(matches(role, 'arn:aws:iam::111122223333:role/acme-admin')).toBe(false);
  });

  it('reads provider default_tags, and calls them unknown without a provider block', () => {
    const withProvider = tf(
      'provider "aws" {\n  default_tags {\n    tags = { team = "platform" }\n  }\n}\nresource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n',
    );
    const bucket = withProvider.module.resources[0];
    if (!bucket) throw new Error('no bucket');
    expect(tfDefaultTags(withProvider.module, bucket)).toEqual({ tags: { team: 'platform' }, known: true });
    const child = tf('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n');
    expect(tfDefaultTags(child.module, child.module.resources[0] ?? bucket).known).toBe(false);
  });
});

describe('CloudFormation declarations', () => {
  it('resolves pseudo parameters from the item but leaves parameters unknown, defaults included', () => {
    const props = cfn(
      "Parameters:\n  Bucket:\n    Type: String\n    Default: acme-logs\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      Description: !Sub 'policy in ${AWS::Region} of ${AWS::AccountId}'\n      Path: !Ref Bucket\n      ManagedPolicyName: !Join ['-', [acme, !Ref 'AWS::Partition']]\n",
    )('P');
    expect(props.Description).toBe('policy in eu-west-1 of 111122223333');
    expect(props.Path).toBeInstanceOf(Unknown);
    expect(props.ManagedPolicyName).toBe('acme-aws');
  });

  it('keeps the known text around unknown parts as a pattern', () => {
    const props = cfn(
      "Parameters:\n  Env:\n    Type: String\nResources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub 'acme-${Env}-logs'\n",
    )('R');
    expect(matches(props.BucketName, 'acme-prod-logs')).toBe(true);
    expect(matches(props.BucketName, 'other-prod-logs')).toBe(false);
  });

  it('drops values removed with AWS::NoValue and makes conditions and dynamic references unknown', () => {
    const props = cfn(
      "Conditions:\n  Prod: !Equals [a, a]\nResources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: !If [Prod, 30, 10]\n      KmsKeyArn: !Ref AWS::NoValue\n      Environment:\n        Variables:\n          TOKEN: '{{resolve:ssm:/acme/token}}'\n",
    )('F');
    expect(props.Timeout).toBeInstanceOf(Unknown);
    expect('KmsKeyArn' in props).toBe(false);
    const token = (props.Environment as { Variables: { TOKEN: Partial } }).Variables.TOKEN;
    expect(token).toBeInstanceOf(Unknown);
    expect(JSON.stringify(token)).not.toContain('/acme/token');
  });

  it('reads the long form of intrinsics (JSON templates) like the short form', () => {
    const short = cfn(
      'Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: acme-app\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !GetAtt Role.Arn\n',
    )('F');
    const long = cfn(
      '{"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "acme-app"}}, "F": {"Type": "AWS::Lambda::Function", "Properties": {"Role": {"Fn::GetAtt": ["Role", "Arn"]}}}}}',
    )('F');
    expect(stableKey(short.Role)).toBe(stableKey(long.Role));
    expect(matches(long.Role, 'arn:aws:iam::111122223333:role/acme-app')).toBe(true);
  });
});
