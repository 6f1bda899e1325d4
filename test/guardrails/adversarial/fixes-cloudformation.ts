/**
 * The honest fixes cloudmend writes for findings in the CloudFormation templates, and the targets they are for:
 * the building blocks of the contract, safe and targeted cases (which add to a fix what the fix must not carry).
 */
import { editing } from './case.js';
import { LOGS_OWNERSHIP } from './fixtures-cloudformation.js';

/** The S3.8 fix: the logs bucket's PublicAccessBlockConfiguration, every setting on. */
export const LOGS_BLOCK =
  '      PublicAccessBlockConfiguration:\n        BlockPublicAcls: true\n' +
  '        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n        RestrictPublicBuckets: true\n';

/** The S3.4 fix: the logs bucket's BucketEncryption with `key` as its KMS key. */
export function logsEncryption(key: string): string {
  return (
    '      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n' +
    '          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: aws:kms\n' +
    `              KMSMasterKeyID: ${key}\n`
  );
}

/** storage.yaml with `added` (property lines) in the logs bucket's Properties. */
export function withLogs(...added: readonly string[]): (text: string) => string {
  return editing([LOGS_OWNERSHIP, `${LOGS_OWNERSHIP}${added.join('')}`]);
}

export const LOGS_HEADER = '  LogsBucket:\n    Type: AWS::S3::Bucket\n';

/** storage.yaml with the S3.5 fix as the s3-tls-only skill writes it, `extra` statements after the deny. */
export function withLogsTlsPolicy(extra = ''): (text: string) => string {
  return editing([
    '\nOutputs:\n',
    `
  LogsBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref LogsBucket
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: DenyInsecureTransport
            Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource:
              - !GetAtt LogsBucket.Arn
              - !Sub \${LogsBucket.Arn}/*
            Condition:
              Bool:
                aws:SecureTransport: "false"
${extra}
Outputs:
`,
  ]);
}

/** The DynamoDB.2 fix in serverless.json, as an edit. */
export const PITR = '"SSESpecification": { "SSEEnabled": true }';
export const PITR_ON = `${PITR},\n        "PointInTimeRecoverySpecification": { "PointInTimeRecoveryEnabled": true }`;

export const S3_8 = { address: 'LogsBucket', controlId: 'S3.8' };
export const S3_4 = { address: 'LogsBucket', controlId: 'S3.4' };
export const S3_5 = { address: 'LogsBucket', controlId: 'S3.5' };
export const REPORTS_RDS_2 = { address: 'ReportsDatabase', controlId: 'RDS.2' };
export const SESSIONS_PITR = { address: 'SessionsTable', controlId: 'DynamoDB.2' };
export const QUEUE_KEY_KMS_4 = { address: 'QueueKey', controlId: 'KMS.4' };
