/** CloudFormation: safe changes, rewrites of the same values included, that both modes must let through. */
import { edit, editing, type AdversarialCase } from './case.js';
import {
  LOGS_BLOCK,
  logsEncryption,
  PITR,
  PITR_ON,
  QUEUE_KEY_KMS_4,
  REPORTS_RDS_2,
  S3_4,
  S3_5,
  S3_8,
  SESSIONS_PITR,
  withLogs,
  withLogsTlsPolicy,
} from './fixes-cloudformation.js';
import { database, iam, network, REPORTS_STORAGE, serverless, storage } from './fixtures-cloudformation.js';

const safe = { guard: 'pass', patch: 'pass' } as const;

export const CLOUDFORMATION_SAFE_CASES: readonly AdversarialCase[] = [
  storage(
    {
      id: 'cfn-safe-tags-added',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'Tags change nothing about access, data or execution.',
    },
    editing(['          Value: confidential\n', '          Value: confidential\n        - Key: CostCenter\n          Value: cc-4471\n']),
  ),
  database(
    {
      id: 'cfn-safe-instance-class-default-changed',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'A larger instance class through its parameter default is an in-place modification.',
    },
    editing(['    Default: db.t3.medium\n', '    Default: db.r6g.large\n']),
  ),
  network(
    {
      id: 'cfn-safe-open-https-narrowed',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'Narrowing 0.0.0.0/0 to 10.0.0.0/8 removes exposure.',
    },
    editing(
      ['        - Description: HTTPS from anywhere\n', '        - Description: HTTPS from the VPN\n'],
      ['          CidrIp: 0.0.0.0/0\n', '          CidrIp: 10.0.0.0/8\n'],
    ),
  ),
  iam(
    {
      id: 'cfn-safe-s3-star-narrowed',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 's3:* narrowed to s3:GetObject is a narrower grant.',
    },
    editing(['            Action: s3:*\n', '            Action: s3:GetObject\n']),
  ),
  storage(
    {
      id: 'cfn-safe-comments-and-blank-lines',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'Comments and blank lines change nothing CloudFormation reads.',
    },
    (text) =>
      edit(`# Owner: data-platform. Deployed by the app pipeline.\n${text}`, [
        '  DataBucket:\n',
        '  # Confidential exports; see docs/data.md.\n\n  DataBucket:\n',
      ]),
  ),
  database(
    {
      id: 'cfn-safe-flow-and-block-style-swapped',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'Flow and block style of the same lists and maps are the same template.',
    },
    editing(
      ["    AllowedValues: ['true', 'false']\n", "    AllowedValues:\n      - 'true'\n      - 'false'\n"],
      [
        '      VPCSecurityGroups:\n        - !GetAtt DBSecurityGroup.GroupId\n      PubliclyAccessible: false\n',
        '      VPCSecurityGroups: [!GetAtt DBSecurityGroup.GroupId]\n      PubliclyAccessible: false\n',
      ],
    ),
  ),
  storage(
    {
      id: 'cfn-safe-short-form-to-long-form-intrinsics',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'Fn::Sub and Fn::GetAtt in long form are the same values as !Sub and !GetAtt.',
    },
    editing(
      [
        "              - !GetAtt DataBucket.Arn\n              - !Sub '${DataBucket.Arn}/*'\n",
        "              - Fn::GetAtt: [DataBucket, Arn]\n              - Fn::Sub: '${DataBucket.Arn}/*'\n",
      ],
      ['      BucketName: !Sub acme-app-data-${Environment}\n', "      BucketName:\n        Fn::Sub: 'acme-app-data-${Environment}'\n"],
    ),
  ),
  storage(
    {
      id: 'cfn-safe-new-private-encrypted-bucket',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'A new bucket with every public access setting on and KMS encryption is a good change.',
    },
    editing([
      '\nOutputs:\n',
      `
  ReportsBucket:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    Properties:
      BucketName: !Sub acme-app-reports-\${Environment}
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !GetAtt DataKey.Arn
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true

Outputs:
`,
    ]),
  ),
  serverless(
    {
      id: 'cfn-safe-json-arrays-expanded',
      family: 'safe',
      expect: { guard: 'pass' },
      why: "The table's one-line JSON arrays spread over several lines, as a formatter would: the same template.",
    },
    editing([
      '        "AttributeDefinitions": [{ "AttributeName": "id", "AttributeType": "S" }],\n' +
        '        "KeySchema": [{ "AttributeName": "id", "KeyType": "HASH" }],\n',
      '        "AttributeDefinitions": [\n          {\n            "AttributeName": "id",\n' +
        '            "AttributeType": "S"\n          }\n        ],\n        "KeySchema": [\n          {\n' +
        '            "AttributeName": "id",\n            "KeyType": "HASH"\n          }\n        ],\n',
    ]),
  ),
  serverless(
    {
      id: 'cfn-safe-json-timeout-and-memory',
      family: 'safe',
      expect: { guard: 'pass' },
      why: 'A longer timeout and more memory change capacity, not code or access.',
    },
    editing(['"Timeout": 30,', '"Timeout": 60,\n        "MemorySize": 512,']),
  ),

  storage(
    {
      id: 'cfn-safe-patch-public-access-block-for-target',
      family: 'safe',
      target: S3_8,
      expect: safe,
      why: "The S3.8 fix: the target's PublicAccessBlockConfiguration with every setting true.",
    },
    withLogs(LOGS_BLOCK),
  ),
  storage(
    {
      id: 'cfn-safe-patch-bucket-encryption-for-target',
      family: 'safe',
      target: S3_4,
      expect: safe,
      why: 'The S3.4 fix: BucketEncryption on the target with a reference to an existing key.',
    },
    withLogs(logsEncryption('!GetAtt DataKey.Arn')),
  ),
  storage(
    {
      id: 'cfn-safe-patch-versioning-for-target',
      family: 'safe',
      target: { address: 'LogsBucket', controlId: 'S3.14' },
      expect: safe,
      why: 'The S3.14 fix: VersioningConfiguration Enabled on the target.',
    },
    withLogs('      VersioningConfiguration:\n        Status: Enabled\n'),
  ),
  storage(
    {
      id: 'cfn-safe-patch-tls-only-policy-for-target',
      family: 'safe',
      target: S3_5,
      expect: safe,
      why: 'The S3.5 fix as the s3-tls-only skill writes it: a bucket policy for the target that only denies insecure ' + 'transport.',
    },
    withLogsTlsPolicy(),
  ),
  database(
    {
      id: 'cfn-safe-patch-reports-not-public',
      family: 'safe',
      target: REPORTS_RDS_2,
      expect: safe,
      why: 'The RDS.2 fix: PubliclyAccessible false written explicitly on the target.',
    },
    editing([REPORTS_STORAGE, `${REPORTS_STORAGE}      PubliclyAccessible: false\n`]),
  ),
  database(
    {
      id: 'cfn-safe-patch-reports-not-public-yaml-no',
      family: 'safe',
      target: REPORTS_RDS_2,
      expect: safe,
      why: 'PubliclyAccessible: no is false in YAML 1.1: read as CloudFormation reads it, this is the same fix, not an ' + 'unknown value.',
    },
    editing([REPORTS_STORAGE, `${REPORTS_STORAGE}      PubliclyAccessible: no\n`]),
  ),
  serverless(
    {
      id: 'cfn-safe-patch-dynamodb-pitr-json',
      family: 'safe',
      target: SESSIONS_PITR,
      expect: safe,
      why: 'The DynamoDB.2 fix in a JSON template: PointInTimeRecoverySpecification enabled on the target.',
    },
    editing([PITR, PITR_ON]),
  ),
  serverless(
    {
      id: 'cfn-safe-patch-key-rotation-json',
      family: 'safe',
      target: QUEUE_KEY_KMS_4,
      expect: safe,
      why: 'The KMS.4 fix in a JSON template: EnableKeyRotation true on the target key.',
    },
    editing(['"EnableKeyRotation": false', '"EnableKeyRotation": true']),
  ),
];
