/** Choosing the declared resource a configuration item is compared with; mistakes are user-facing errors. */
import { describe, expect, it } from 'vitest';
import {
  AmbiguousResourceError,
  DeclaredResourceNotFoundError,
  driftOf,
  ResourceTypeMismatchError,
  supportsDrift,
  UnsupportedResourceTypeError,
} from '../../src/drift/index.js';
import { isUserFacing } from '../../src/errors.js';
import { cloudformationFiles, liveOf, terraformFiles } from './support.js';

const secondBucket = (text: string): string => `${text}\nresource "aws_s3_bucket" "archive" {\n  bucket = "acme-prod-archive"\n}\n`;

describe('choosing the declared resource', () => {
  it('picks the resource named like the item when several of its type are declared', () => {
    const report = driftOf({ kind: 'terraform', files: terraformFiles('s3-bucket', secondBucket) }, liveOf('s3-bucket'));
    expect(report.address).toBe('aws_s3_bucket.logs');
  });

  it('refuses to guess between resources that could all be the item', () => {
    const twin = (text: string): string => `${text}\nresource "aws_s3_bucket" "twin" {\n  bucket = "acme-prod-logs"\n}\n`;
    const run = (): unknown => driftOf({ kind: 'terraform', files: terraformFiles('s3-bucket', twin) }, liveOf('s3-bucket'));
    expect(run).toThrow(AmbiguousResourceError);
    expect(run).toThrow(
      '2 resources could be AWS::S3::Bucket acme-prod-logs: aws_s3_bucket.logs, aws_s3_bucket.twin; pass --resource with one of them',
    );
  });

  it('uses the address it is given, Terraform address or CloudFormation logical id', () => {
    expect(
      driftOf(
        { kind: 'terraform', files: terraformFiles('s3-bucket', secondBucket), address: 'aws_s3_bucket.archive' },
        liveOf('s3-bucket'),
      ).address,
    ).toBe('aws_s3_bucket.archive');
    expect(
      driftOf({ kind: 'cloudformation', files: cloudformationFiles('s3-bucket'), address: 'LogsBucket' }, liveOf('s3-bucket')).address,
    ).toBe('LogsBucket');
  });

  it('says which resources exist when the address is not declared', () => {
    const run = (): unknown =>
      driftOf(
        { kind: 'terraform', files: terraformFiles('s3-bucket', secondBucket), address: 'aws_s3_bucket.missing' },
        liveOf('s3-bucket'),
      );
    expect(run).toThrow(DeclaredResourceNotFoundError);
    expect(run).toThrow(
      'no resource "aws_s3_bucket.missing" in the template; aws_s3_bucket resources there: aws_s3_bucket.logs, aws_s3_bucket.archive',
    );
  });

  it('says when the files declare nothing of the item type', () => {
    expect(() => driftOf({ kind: 'terraform', files: terraformFiles('kms-key') }, liveOf('s3-bucket'))).toThrow(
      'the template declares no aws_s3_bucket, the type of AWS::S3::Bucket acme-prod-logs',
    );
  });

  it('refuses a resource of another type, and explains CloudFormation inline policies', () => {
    expect(() =>
      driftOf({ kind: 'terraform', files: terraformFiles('s3-bucket'), address: 'aws_kms_key.logs' }, liveOf('s3-bucket')),
    ).toThrow(ResourceTypeMismatchError);
    const run = (): unknown =>
      driftOf({ kind: 'cloudformation', files: cloudformationFiles('iam-role'), address: 'ReadConfigPolicy' }, liveOf('iam-policy'));
    expect(run).toThrow(
      /ReadConfigPolicy is AWS::IAM::Policy, but the configuration item describes AWS::IAM::Policy ANPA4EXAMPLEPOLICY123, declared as AWS::IAM::ManagedPolicy\. In CloudFormation, AWS::IAM::Policy is an inline policy/,
    );
  });

  it('refuses an unsupported resource type, naming the supported ones', () => {
    const live = { resourceType: 'AWS::SNS::Topic', resourceId: 'arn:aws:sns:eu-west-1:111122223333:alerts', configuration: {} };
    const run = (): unknown => driftOf({ kind: 'terraform', files: terraformFiles('kms-key') }, live);
    expect(run).toThrow(UnsupportedResourceTypeError);
    expect(run).toThrow(/drift does not support AWS::SNS::Topic yet; supported: AWS::S3::Bucket, AWS::EC2::SecurityGroup, /);
  });

  it('raises only user-facing errors for these mistakes', () => {
    try {
      driftOf({ kind: 'terraform', files: terraformFiles('kms-key') }, liveOf('s3-bucket'));
    } catch (error) {
      expect(isUserFacing(error)).toBe(true);
    }
    expect.assertions(1);
  });
});

describe('supportsDrift', () => {
  it.each(['AWS::S3::Bucket', 'aws_security_group', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy', 'aws_dynamodb_table', 'AWS::KMS::Key'])(
    'supports %s',
    (type) => {
      expect(supportsDrift(type)).toBe(true);
    },
  );

  it.each(['AWS::SNS::Topic', 'aws_instance', ''])('does not support %j', (type) => {
    expect(supportsDrift(type)).toBe(false);
  });
});
