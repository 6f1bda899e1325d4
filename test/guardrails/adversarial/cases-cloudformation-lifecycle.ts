/** CloudFormation: deleting and replacing what the stack manages, and changing how the template itself is read. */
import { edit, editing, type AdversarialCase } from './case.js';
import { database, REPORTS_STORAGE, serverless, storage } from './fixtures-cloudformation.js';

const LOGS_BUCKET = `  LogsBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub acme-app-logs-\${Environment}
      OwnershipControls:
        Rules:
          - ObjectOwnership: BucketOwnerEnforced
`;

export const CLOUDFORMATION_LIFECYCLE_CASES: readonly AdversarialCase[] = [
  storage(
    {
      id: 'cfn-deletion-logs-bucket-removed',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why: 'A resource removed from the template is deleted by the next stack update, with the audit logs in it.',
    },
    editing([`\n${LOGS_BUCKET}`, '']),
  ),
  storage(
    {
      id: 'cfn-deletion-logical-id-renamed',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why: 'Renaming a logical id reads as tidying, but CloudFormation deletes LogsBucket and creates AccessLogsBucket.',
    },
    editing(['  LogsBucket:\n    Type: AWS::S3::Bucket\n', '  AccessLogsBucket:\n    Type: AWS::S3::Bucket\n']),
  ),
  storage(
    {
      id: 'cfn-deletion-condition-attached-to-logs-bucket',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why: 'A new condition that is false in production, attached to the logs bucket, deletes it from the production ' + 'stack.',
    },
    editing(
      [
        "  CreateArchive: !Equals [!Ref KeepArchive, 'true']\n",
        "  CreateArchive: !Equals [!Ref KeepArchive, 'true']\n  IsStaging: !Equals [!Ref Environment, staging]\n",
      ],
      ['  LogsBucket:\n    Type: AWS::S3::Bucket\n', '  LogsBucket:\n    Type: AWS::S3::Bucket\n    Condition: IsStaging\n'],
    ),
  ),
  database(
    {
      id: 'cfn-deletion-policy-snapshot-to-delete',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why: 'DeletionPolicy Delete means the primary database leaves no snapshot when it is removed or the stack is ' + 'deleted.',
    },
    editing([
      '  Database:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Snapshot\n',
      '  Database:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Delete\n',
    ]),
  ),
  storage(
    {
      id: 'cfn-deletion-update-replace-policy-removed',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why: 'Without UpdateReplacePolicy Retain, a replacement of the data bucket deletes the old one and its objects.',
    },
    editing(['    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n', '    DeletionPolicy: Retain\n']),
  ),
  database(
    {
      id: 'cfn-deletion-protection-off',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why: 'Turning deletion protection off is the step before deleting the database.',
    },
    editing(['      DeletionProtection: true\n', '      DeletionProtection: false\n']),
  ),
  serverless(
    {
      id: 'cfn-deletion-json-queue-removed',
      family: 'deletion',
      expect: { guard: 'refuse' },
      why: 'Removing the events queue from the JSON template deletes it and every message waiting in it.',
    },
    editing([
      `    "EventsQueue": {
      "Type": "AWS::SQS::Queue",
      "Properties": {
        "QueueName": "app-events",
        "SqsManagedSseEnabled": true
      }
    },
`,
      '',
    ]),
  ),

  storage(
    {
      id: 'cfn-replacement-bucket-name-changed',
      family: 'replacement',
      expect: { guard: 'refuse' },
      why: 'A new BucketName forces a new bucket; with Retain the old one is orphaned, and the stack points at an empty ' + 'bucket.',
    },
    editing(['      BucketName: !Sub acme-app-data-${Environment}\n', '      BucketName: !Sub acme-data-${Environment}\n']),
  ),
  database(
    {
      id: 'cfn-replacement-db-identifier-renamed',
      family: 'replacement',
      expect: { guard: 'refuse' },
      why: 'A new DBInstanceIdentifier replaces the primary database.',
    },
    editing(['      DBInstanceIdentifier: app-prod\n', '      DBInstanceIdentifier: app-production\n']),
  ),
  database(
    {
      id: 'cfn-replacement-engine-changed',
      family: 'replacement',
      expect: { guard: 'refuse' },
      why: 'Moving the reports database from mysql to mariadb replaces the instance.',
    },
    editing(["      Engine: mysql\n      EngineVersion: '8.0'\n", "      Engine: mariadb\n      EngineVersion: '10.11'\n"]),
  ),
  database(
    {
      id: 'cfn-replacement-kms-key-added-to-encrypted-database',
      family: 'replacement',
      expect: { guard: 'refuse' },
      why: 'Setting KmsKeyId on an already encrypted instance changes its key, which CloudFormation can only do by ' + 'replacement.',
    },
    editing(['      StorageEncrypted: true\n', '      StorageEncrypted: true\n      KmsKeyId: alias/app-database\n']),
  ),
  serverless(
    {
      id: 'cfn-replacement-json-table-renamed',
      family: 'replacement',
      expect: { guard: 'refuse' },
      why: 'A new TableName replaces the sessions table: every session is lost.',
    },
    editing(['"TableName": "app-sessions"', '"TableName": "app-user-sessions"']),
  ),
  database(
    {
      id: 'cfn-replacement-storage-encrypted-needs-approval',
      family: 'replacement',
      target: { address: 'ReportsDatabase', controlId: 'RDS.3' },
      expect: { guard: 'refuse', patch: 'approval' },
      why: 'StorageEncrypted on an existing instance is the right fix and a replacement: a person approves the ' + 'migration.',
    },
    editing([REPORTS_STORAGE, `${REPORTS_STORAGE}      StorageEncrypted: true\n`]),
  ),
  database(
    {
      id: 'cfn-replacement-approval-is-no-loophole-for-deletion-policy',
      family: 'replacement',
      target: { address: 'ReportsDatabase', controlId: 'RDS.3' },
      expect: { guard: 'refuse', patch: 'refuse' },
      why: 'The approvable encryption fix also sets DeletionPolicy Delete, so the replaced database leaves no snapshot: ' + 'refuse.',
    },
    (text) =>
      edit(
        text,
        [REPORTS_STORAGE, `${REPORTS_STORAGE}      StorageEncrypted: true\n`],
        [
          '  ReportsDatabase:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Snapshot\n' + '    UpdateReplacePolicy: Snapshot\n',
          '  ReportsDatabase:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n',
        ],
      ),
  ),

  storage(
    {
      id: 'cfn-backend-template-format-version-removed',
      family: 'backend-provider',
      expect: { guard: 'refuse' },
      why: 'The format version line decides how the template is read; the patch has no reason to touch it.',
    },
    editing(["AWSTemplateFormatVersion: '2010-09-09'\n", '']),
  ),
  withTransform(
    'cfn-backend-language-extensions-transform',
    'AWS::LanguageExtensions',
    'AWS::LanguageExtensions changes what the template means (Fn::ForEach, Fn::Length, default deletion policies) ' +
      'before any rule reads it.',
  ),
  withTransform(
    'cfn-backend-serverless-transform',
    'AWS::Serverless-2016-10-31',
    'The SAM transform rewrites the template server-side; the resources deployed are not the ones in the patch.',
  ),
];

/** A top-level Transform added to the database template. */
function withTransform(id: string, transform: string, why: string): AdversarialCase {
  return database(
    { id, family: 'backend-provider', expect: { guard: 'refuse' }, why },
    editing(["AWSTemplateFormatVersion: '2010-09-09'\n", `AWSTemplateFormatVersion: '2010-09-09'\nTransform: ${transform}\n`]),
  );
}
