/** CloudFormation: cloudmend's own patches that are harmless to `cloudmend guard` but outside the contract. */
import { edit, type AdversarialCase } from './case.js';
import {
  LOGS_BLOCK,
  logsEncryption,
  LOGS_HEADER,
  PITR,
  PITR_ON,
  REPORTS_RDS_2,
  S3_4,
  S3_8,
  SESSIONS_PITR,
  withLogs,
} from './fixes-cloudformation.js';
import { database, REPORTS_STORAGE, serverless, storage } from './fixtures-cloudformation.js';

const outside = { guard: 'pass', patch: 'refuse' } as const;

export const CLOUDFORMATION_CONTRACT_CASES: readonly AdversarialCase[] = [
  storage(
    {
      id: 'cfn-contract-new-parameter-for-a-tag',
      family: 'contract',
      target: S3_8,
      expect: outside,
      why: "With the block comes a new parameter feeding a tag: the contract never lets cloudmend's patch edit " + 'Parameters.',
    },
    (text) =>
      edit(withLogs(LOGS_BLOCK, '      Tags:\n        - Key: Owner\n          Value: !Ref LogOwner\n')(text), [
        "    Default: 'true'\n\nConditions:",
        "    Default: 'true'\n  LogOwner:\n    Type: String\n    Default: platform\n\nConditions:",
      ]),
  ),
  storage(
    {
      id: 'cfn-contract-new-output',
      family: 'contract',
      target: S3_8,
      expect: outside,
      why: 'An output publishes a value to whoever can describe the stack; the S3.8 fix has no reason to add one.',
    },
    (text) => `${withLogs(LOGS_BLOCK)(text)}  LogsBucketArn:\n    Value: !GetAtt LogsBucket.Arn\n`,
  ),
  storage(
    {
      id: 'cfn-contract-edits-another-resource',
      family: 'contract',
      target: S3_4,
      expect: outside,
      why: 'Besides encrypting the logs bucket, the patch retags the data bucket, which is not the target or its own.',
    },
    (text) =>
      edit(withLogs(logsEncryption('!GetAtt DataKey.Arn'))(text), ['          Value: confidential\n', '          Value: restricted\n']),
  ),
  storage(
    {
      id: 'cfn-contract-depends-on-added',
      family: 'contract',
      target: S3_8,
      expect: outside,
      why: 'DependsOn changes deployment order and can stall or reorder replacements; the contract forbids it.',
    },
    (text) => edit(withLogs(LOGS_BLOCK)(text), [LOGS_HEADER, `${LOGS_HEADER}    DependsOn: DataBucket\n`]),
  ),
  storage(
    {
      id: 'cfn-contract-import-value-in-a-new-value',
      family: 'contract',
      target: S3_8,
      expect: outside,
      why:
        'A tag read with Fn::ImportValue from another stack is harmless to guard, but not a literal or a reference to ' + 'this template.',
    },
    withLogs(LOGS_BLOCK, '      Tags:\n        - Key: Team\n          Value: !ImportValue platform-team-name\n'),
  ),
  storage(
    {
      id: 'cfn-contract-mapping-for-the-algorithm',
      family: 'contract',
      target: S3_4,
      expect: outside,
      why: 'Reading SSEAlgorithm from a new mapping evaluates to aws:kms, but the contract forbids edits to Mappings.',
    },
    (text) =>
      edit(
        withLogs(
          '      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n' +
            '          - ServerSideEncryptionByDefault:\n' +
            '              SSEAlgorithm: !FindInMap [Encryption, Logs, Algorithm]\n',
        )(text),
        ['\nConditions:\n', '\nMappings:\n  Encryption:\n    Logs:\n      Algorithm: AES256\n\nConditions:\n'],
      ),
  ),
  storage(
    {
      id: 'cfn-contract-resource-type-outside-the-contract',
      family: 'contract',
      target: S3_4,
      expect: outside,
      why: 'An SNS topic next to the encryption fix is a resource type the S3.4 contract does not name.',
    },
    (text) =>
      edit(withLogs(logsEncryption('!GetAtt DataKey.Arn'))(text), [
        '\nOutputs:\n',
        '\n  LogsAlerts:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: alias/aws/sns\n\n' + 'Outputs:\n',
      ]),
  ),
  storage(
    {
      id: 'cfn-contract-condition-added-to-target',
      family: 'contract',
      target: S3_8,
      expect: { guard: 'refuse', patch: 'refuse' },
      why: 'A Condition on the target makes the bucket exist only in production: deletion elsewhere, and never in a ' + 'contract.',
    },
    (text) => edit(withLogs(LOGS_BLOCK)(text), [LOGS_HEADER, `${LOGS_HEADER}    Condition: IsProd\n`]),
  ),
  serverless(
    {
      id: 'cfn-contract-json-new-parameters-section',
      family: 'contract',
      target: SESSIONS_PITR,
      expect: outside,
      why: 'The PITR fix arrives with a new Parameters section that the table does not even use: outside the contract.',
    },
    (text) =>
      edit(
        text,
        [PITR, PITR_ON],
        [
          '  "Description": "Application workers",\n',
          '  "Description": "Application workers",\n' + '  "Parameters": { "Stage": { "Type": "String", "Default": "prod" } },\n',
        ],
      ),
  ),
  database(
    {
      id: 'cfn-contract-edits-a-referenced-subnet-group',
      family: 'contract',
      target: REPORTS_RDS_2,
      expect: outside,
      why: 'The RDS.2 fix also edits the subnet group, a resource the reports database only references.',
    },
    (text) =>
      edit(
        text,
        [REPORTS_STORAGE, `${REPORTS_STORAGE}      PubliclyAccessible: ` + `false\n`],
        [
          '      DBSubnetGroupDescription: ' + 'Application database subnets\n',
          '      DBSubnetGroupDescription: Application and reporting database subnets\n',
        ],
      ),
  ),
];
