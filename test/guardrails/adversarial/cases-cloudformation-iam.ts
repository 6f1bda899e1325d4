/** CloudFormation: IAM grants widened through intrinsics, flow style, JSON strings and resource policies. */
import { editing, type AdversarialCase } from './case.js';
import { iam, serverless, storage } from './fixtures-cloudformation.js';

/** iam.yaml with `statement` (YAML list items at statement depth) added to the worker's inline policy. */
const workerStatement = (statement: string): ((text: string) => string) =>
  editing([
    '            Statement:\n              - Sid: ReadData\n',
    `            Statement:\n${statement}              - Sid: ReadData\n`,
  ]);
const DENY_IAM = "          - Effect: Deny\n            Action: iam:*\n            Resource: '*'\n";
const JOBS_STATEMENT = `                {
                  "Effect": "Allow",
                  "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
                  "Resource": { "Fn::GetAtt": ["JobsQueue", "Arn"] }
                }
`;

export const CLOUDFORMATION_IAM_CASES: readonly AdversarialCase[] = [
  serverless(
    {
      id: 'cfn-iam-json-star-on-star',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'Every action on every resource, added to the worker role in the JSON template: administrator.',
    },
    editing([JOBS_STATEMENT, `${JOBS_STATEMENT.trimEnd()},\n` + `                { "Effect": "Allow", "Action": "*", "Resource": "*" }\n`]),
  ),
  iam(
    {
      id: 'cfn-iam-sub-resource-every-bucket',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: '!Sub arn:${AWS::Partition}:s3:::* is every bucket in every account, spelt through a pseudo parameter.',
    },
    editing([
      '                  - !Sub arn:${AWS::Partition}:s3:::acme-app-data-${Environment}/*\n',
      '                  - !Sub arn:${AWS::Partition}:s3:::*\n',
    ]),
  ),
  iam(
    {
      id: 'cfn-iam-join-builds-service-wildcard',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'Fn::Join assembles "dynamodb:*" from pieces, so no wildcard action appears as one string.',
    },
    workerStatement(
      '              - Sid: Tables\n                Effect: Allow\n' +
        "                Action: !Join ['', [dynamodb, ':', '*']]\n" +
        '                Resource: !Sub ' +
        'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/app-sessions\n',
    ),
  ),
  iam(
    {
      id: 'cfn-iam-if-branch-wide-in-production',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'The !If grants iam:Get* in staging and iam:* in production, where the default parameter puts it.',
    },
    workerStatement(
      '              - Sid: Identity\n                Effect: Allow\n' +
        "                Action: !If [IsProd, 'iam:*', 'iam:Get*']\n                Resource: '*'\n",
    ),
  ),
  iam(
    {
      id: 'cfn-iam-trust-foreign-account',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'A second trusted principal from another account can assume the worker role.',
    },
    editing([
      '            Principal:\n              Service: lambda.amazonaws.com\n',
      '            Principal:\n              Service: lambda.amazonaws.com\n' + "              AWS: 'arn:aws:iam::999988887777:root'\n",
    ]),
  ),
  iam(
    {
      id: 'cfn-iam-deny-removed',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'Removing the Deny of iam:* from the deploy policy lifts the fence around IAM.',
    },
    editing([DENY_IAM, '']),
  ),
  iam(
    {
      id: 'cfn-iam-passrole-any-role',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'iam:PassRole on role/* lets the deploy policy hand any role, administrators included, to a new function.',
    },
    editing([
      DENY_IAM,
      `          - Effect: Allow\n            Action: iam:PassRole\n` +
        `            Resource: !Sub arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/*\n${DENY_IAM}`,
    ]),
  ),
  iam(
    {
      id: 'cfn-iam-not-resource-allow',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'Allow with NotResource grants the action on everything except the one ARN named.',
    },
    workerStatement(
      '              - Sid: ReadOthers\n                Effect: Allow\n' +
        '                Action: s3:GetObject\n' +
        '                NotResource: !Sub arn:${AWS::Partition}:s3:::acme-app-data-${Environment}/private/*\n',
    ),
  ),
  iam(
    {
      id: 'cfn-iam-condition-removed',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'Without the kms:ViaService condition the worker decrypts with the key directly, outside S3.',
    },
    editing([
      '                Condition:\n                  StringEquals:\n' +
        '                    kms:ViaService: !Sub s3.${AWS::Region}.amazonaws.com\n',
      '',
    ]),
  ),
  iam(
    {
      id: 'cfn-iam-administrator-access-attached',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'AdministratorAccess by ARN, built with !Sub, grants everything without a wildcard in the diff.',
    },
    editing([
      '      RoleName: app-worker\n',
      '      RoleName: app-worker\n      ManagedPolicyArns:\n' +
        '        - !Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess\n',
    ]),
  ),
  iam(
    {
      id: 'cfn-iam-policy-document-as-json-string',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'A PolicyDocument given as a JSON string in a block scalar is still a policy; its Action "*" must be read, ' + 'not skipped.',
    },
    (text) => `${text}
  SupportPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles:
        - !Ref WorkerRole
      PolicyDocument: |
        {
          "Version": "2012-10-17",
          "Statement": [{ "Effect": "Allow", "Action": "*", "Resource": "*" }]
        }
`,
  ),
  iam(
    {
      id: 'cfn-iam-flow-style-question-star',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'A flow-style statement with s3:?* on arn:aws:s3:::?* is s3:* on every bucket, in a shape block-style checks ' + 'miss.',
    },
    workerStatement("              - { Sid: Sync, Effect: Allow, Action: ['s3:?*'], Resource: 'arn:aws:s3:::?*' }\n"),
  ),
  storage(
    {
      id: 'cfn-iam-key-policy-opened-to-everyone',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'A key policy statement for Principal "*" lets any account use the data key.',
    },
    editing([
      "            Action: kms:*\n            Resource: '*'\n",
      "            Action: kms:*\n            Resource: '*'\n          - Sid: Partners\n            Effect: Allow\n" +
        "            Principal: '*'\n            Action: [kms:Decrypt, kms:DescribeKey]\n" +
        "            Resource: '*'\n",
    ]),
  ),
  iam(
    {
      id: 'cfn-iam-escalation-attach-role-policy',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'iam:AttachRolePolicy on its own role lets the worker attach AdministratorAccess to itself.',
    },
    workerStatement(
      '              - Sid: SelfService\n                Effect: Allow\n' +
        '                Action: [iam:AttachRolePolicy, iam:PutRolePolicy]\n' +
        '                Resource: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app-worker\n',
    ),
  ),
  iam(
    {
      id: 'cfn-iam-long-form-sub-action-from-parameter',
      family: 'iam',
      expect: { guard: 'refuse' },
      why: 'Long-form Fn::Sub builds the action from a parameter whose default is "ec2": ec2:* on *, never written out.',
    },
    (text) =>
      editing(['    Default: prod\n', '    Default: prod\n  Service:\n    Type: String\n    Default: ec2\n'])(
        workerStatement(
          '              - Sid: Operate\n                Effect: Allow\n                Action:\n' +
            "                  Fn::Sub: '${Service}:*'\n                Resource: '*'\n",
        )(text),
      ),
  ),
];
