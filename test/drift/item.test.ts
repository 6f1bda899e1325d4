/** Reading configuration items in the shapes Config delivers them. */
import { describe, expect, it } from 'vitest';
import { driftOf, InvalidConfigurationItemError, readConfigurationItem } from '../../src/drift/index.js';
import { terraformFiles, liveOf } from './support.js';

describe('readConfigurationItem', () => {
  it('decodes configuration and supplementary values sent as JSON text (the history API shape)', () => {
    const item = readConfigurationItem(liveOf('s3-bucket'));
    expect(item).toMatchObject({
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'acme-prod-logs',
      accountId: '111122223333',
      arn: 'arn:aws:s3:::acme-prod-logs',
      partition: 'aws',
    });
    expect(item.configuration.name).toBe('acme-prod-logs');
    expect(item.supplementary.PublicAccessBlockConfiguration).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    expect(item.tags).toEqual({ env: 'prod', team: 'platform' });
  });

  it('takes the item out of a "Config Configuration Item Change" event', () => {
    const item = readConfigurationItem(liveOf('security-group'));
    expect(item).toMatchObject({
      resourceType: 'AWS::EC2::SecurityGroup',
      resourceId: 'sg-0a1b2c3d4e5f60718',
      region: 'eu-west-1',
      status: 'OK',
    });
  });

  it('falls back to configuration.tags and reads the partition from the ARN', () => {
    const item = readConfigurationItem({
      resourceType: 'AWS::EC2::SecurityGroup',
      resourceId: 'sg-1',
      ARN: 'arn:aws-cn:ec2:cn-north-1:111122223333:security-group/sg-1',
      configuration: { tags: [{ key: 'Name', value: 'web' }] },
    });
    expect(item.tags).toEqual({ Name: 'web' });
    expect(item.partition).toBe('aws-cn');
  });

  it.each([
    ['a JSON array', [], /must hold a JSON object/],
    [
      'an event without an item',
      { 'detail-type': 'Config Rules Compliance Change', detail: { messageType: 'ComplianceChangeNotification' } },
      /no configuration item found/,
    ],
    ['an item without a resource id', { resourceType: 'AWS::S3::Bucket', configuration: {} }, /no resourceType or resourceId/],
    [
      'an oversized-item notification',
      {
        detail: {
          messageType: 'OversizedConfigurationItemChangeNotification',
          s3DeliverySummary: { s3BucketLocation: 'config-bucket/AWSLogs/item.json.gz' },
        },
      },
      /download the configuration item from S3 \(config-bucket\/AWSLogs\/item\.json\.gz\)/,
    ],
  ])('rejects %s with a message that says what to pass', (_name, value, message) => {
    expect(() => readConfigurationItem(value)).toThrow(InvalidConfigurationItemError);
    expect(() => readConfigurationItem(value)).toThrow(message);
  });
});

describe('driftOf on a deleted resource', () => {
  it('reports the whole resource as deleted instead of comparing an empty configuration', () => {
    const live = liveOf('kms-key', (ci) => {
      ci.configurationItemStatus = 'ResourceDeleted';
      ci.configuration = null;
      ci.supplementaryConfiguration = {};
    });
    const report = driftOf({ kind: 'terraform', files: terraformFiles('kms-key') }, live);
    expect(report.differences).toEqual([
      expect.objectContaining({ path: '(resource)', declared: 'declared', live: 'deleted', class: 'benign', weakens: false }),
    ]);
  });
});
