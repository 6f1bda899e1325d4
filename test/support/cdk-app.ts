/**
 * A small CDK app as a platform team writes one: `cdk init`'s layout (source-map-support included), a stack with a bucket and a
 * key, and a table made by a helper function in another file. Its resources violate S3.8 (public
 * access blocks turned off), KMS.4 (no rotation), DynamoDB.2 (no point-in-time recovery) and EC2.3
 * (an unencrypted volume, which only a replacement encrypts).
 */
import { ACCOUNT, asffFinding, REGION } from './events.js';

export const CDK_APP: Readonly<Record<string, string>> = {
  'cdk.json': `{
  "app": "npx ts-node --prefer-ts-exts bin/app.ts",
  "context": {
    "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": true
  }
}
`,
  'package.json': `{
  "name": "acme-data",
  "version": "0.1.0",
  "bin": { "app": "bin/app.js" },
  "dependencies": { "aws-cdk-lib": "^2.200.0", "constructs": "^10.0.0" }
}
`,
  'bin/app.ts': `#!/usr/bin/env node
import 'source-map-support/register';
import * as cdk from 'aws-cdk-lib';
import { DataStack } from '../lib/data-stack';

const app = new cdk.App();
new DataStack(app, 'acme-data', { env: { account: '${ACCOUNT}', region: '${REGION}' } });
`,
  'lib/data-stack.ts': `import { RemovalPolicy, Size, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ordersTable } from './tables';

export class DataStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Uploads from the partner portal.
    new s3.Bucket(this, 'Uploads', {
      bucketName: 'acme-partner-uploads',
      blockPublicAccess: new s3.BlockPublicAccess({
        blockPublicAcls: false,
        blockPublicPolicy: false,
        ignorePublicAcls: false,
        restrictPublicBuckets: false,
      }),
      removalPolicy: RemovalPolicy.RETAIN, // never lose uploads
    });

    const key = new kms.Key(this, 'DataKey', { description: 'acme data' });
    key.addAlias('alias/acme-data');

    ordersTable(this, 'Orders');

    // Scratch space for the nightly import.
    new ec2.Volume(this, 'Scratch', { availabilityZone: '${REGION}a', size: Size.gibibytes(50) });
  }
}
`,
  'lib/tables.ts': `import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

/** The orders table, shared by the API and the workers. */
export function ordersTable(scope: Construct, id: string): dynamodb.Table {
  return new dynamodb.Table(scope, id, {
    tableName: 'acme-orders',
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  });
}
`,
};

/** The bucket's S3.8 finding, by its name. */
export const uploadsFinding = () =>
  asffFinding({
    control: 'S3.8',
    Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-partner-uploads', Partition: 'aws', Region: REGION }],
  });

/** The key's KMS.4 finding: a key has no name, but CloudFormation tags it with its stack and logical id. */
export const dataKeyFinding = (logicalId = 'DataKey17AFBB84') =>
  asffFinding({
    control: 'KMS.4',
    Title: 'AWS KMS key rotation should be enabled',
    Resources: [
      {
        Type: 'AwsKmsKey',
        Id: `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b5e2f61-8b1e-4d7a-9a4c-3f2d1e0c9b8a`,
        Partition: 'aws',
        Region: REGION,
        Tags: { 'aws:cloudformation:stack-name': 'acme-data', 'aws:cloudformation:logical-id': logicalId },
      },
    ],
  });

/** The orders table's DynamoDB.2 finding, by its name. */
export const ordersFinding = () =>
  asffFinding({
    control: 'DynamoDB.2',
    Title: 'DynamoDB tables should have point-in-time recovery enabled',
    Resources: [
      { Type: 'AwsDynamoDbTable', Id: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/acme-orders`, Partition: 'aws', Region: REGION },
    ],
  });

/** The scratch volume's EC2.3 finding: encrypting it replaces the volume. */
export const scratchVolumeFinding = () =>
  asffFinding({
    control: 'EC2.3',
    Title: 'Attached Amazon EBS volumes should be encrypted at-rest',
    Resources: [
      {
        Type: 'AwsEc2Volume',
        Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0a1b2c3d4e5f60718`,
        Partition: 'aws',
        Region: REGION,
        Tags: { 'aws:cloudformation:stack-name': 'acme-data', 'aws:cloudformation:logical-id': 'ScratchF72D2ED6' },
      },
    ],
  });
