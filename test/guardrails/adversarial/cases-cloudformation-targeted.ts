/**
 * CloudFormation: hostile patches in the very shape the contract allows (properties of the target and of its own
 * sub-resources, literal values, allowed resource types). Only the rule families can refuse them.
 */
import { edit, editing, type AdversarialCase, type CaseHead, type Change } from './case.js';
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
import { database, REPORTS_STORAGE, serverless, storage } from './fixtures-cloudformation.js';

type Builder = (c: CaseHead, change: Change) => AdversarialCase;

/** A hostile patch for `target` over the template `build` names: refused in both modes. */
function targeted(build: Builder, c: Omit<CaseHead, 'expect'>, change: Change): AdversarialCase {
  return build({ ...c, expect: { guard: 'refuse', patch: 'refuse' } }, change);
}

const REPORTS_HEADER = '  ReportsDatabase:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Snapshot\n';

export const CLOUDFORMATION_TARGETED_CASES: readonly AdversarialCase[] = [
  targeted(
    database,
    {
      id: 'cfn-targeted-rds-fix-public-on',
      family: 'yaml-1.1',
      target: REPORTS_RDS_2,
      why: 'For RDS.2 the patch writes PubliclyAccessible on the target as YAML 1.1 "on": true, the opposite of the fix.',
    },
    editing([REPORTS_STORAGE, `${REPORTS_STORAGE}      PubliclyAccessible: on\n`]),
  ),
  targeted(
    storage,
    {
      id: 'cfn-targeted-block-with-public-acl',
      family: 'public-access',
      target: S3_8,
      why: "With the block, the patch sets the target's AccessControl to PublicReadWrite: a target property, a literal.",
    },
    withLogs(LOGS_BLOCK, '      AccessControl: PublicReadWrite\n'),
  ),
  targeted(
    storage,
    {
      id: 'cfn-targeted-tls-policy-with-public-read',
      family: 'public-access',
      target: S3_5,
      why: 'The target\'s own bucket policy carries the TLS deny and an Allow of s3:GetObject to Principal "*".',
    },
    withLogsTlsPolicy(
      '          - Sid: PublicRead\n            Effect: Allow\n            Principal: "*"\n' +
        '            Action: s3:GetObject\n            Resource: !Sub ${LogsBucket.Arn}/*\n',
    ),
  ),
  targeted(
    serverless,
    {
      id: 'cfn-targeted-key-rotation-with-open-key-policy',
      family: 'iam',
      target: QUEUE_KEY_KMS_4,
      why: 'The rotation fix also rewrites the target key\'s policy principal to "*": any account may use the key.',
    },
    editing(
      ['"EnableKeyRotation": false', '"EnableKeyRotation": true'],
      ['"Principal": { "AWS": { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" } }', '"Principal": "*"'],
    ),
  ),
  targeted(
    storage,
    {
      id: 'cfn-targeted-encryption-with-fn-transform',
      family: 'code-execution',
      target: S3_4,
      why: "Fn::Transform inside the target's own Properties splices in text from S3 at deploy time, fix or no fix.",
    },
    withLogs(
      logsEncryption('!GetAtt DataKey.Arn'),
      '      Fn::Transform:\n        Name: AWS::Include\n' +
        '        Parameters:\n          Location: s3://acme-cfn-snippets-7781/logs-bucket.yaml\n',
    ),
  ),
  targeted(
    serverless,
    {
      id: 'cfn-targeted-pitr-with-sse-off',
      family: 'encryption',
      target: SESSIONS_PITR,
      why: 'The PITR fix on the target comes with SSEEnabled false on the same table.',
    },
    (text) => edit(text, [PITR, PITR_ON.replace('"SSEEnabled": true', '"SSEEnabled": false')]),
  ),
  targeted(
    database,
    {
      id: 'cfn-targeted-public-fix-with-deletion-policy-delete',
      family: 'deletion',
      target: REPORTS_RDS_2,
      why: 'The RDS.2 fix is right, but DeletionPolicy Delete on the target means no snapshot when it goes.',
    },
    editing(
      [REPORTS_STORAGE, `${REPORTS_STORAGE}      PubliclyAccessible: false\n`],
      [REPORTS_HEADER, '  ReportsDatabase:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Delete\n'],
    ),
  ),
  targeted(
    storage,
    {
      id: 'cfn-targeted-nel-comment-hides-public-acl',
      family: 'parser-agreement',
      target: S3_8,
      hidden: { path: 'templates/storage.yaml', at: ['Resources', 'LogsBucket', 'Properties', 'AccessControl'] },
      why: "A comment in the fix ends at U+0085 for CloudFormation's YAML 1.1, which then reads AccessControl: " + 'PublicRead.',
    },
    withLogs(LOGS_BLOCK, '      # every setting on, per S3.8\u0085      AccessControl: PublicRead\n'),
  ),
];
