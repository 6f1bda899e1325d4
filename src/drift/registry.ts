/** The resource types drift knows, by Config type and by the IaC types that declare them. */
import { dynamodbTable } from './resources/dynamodb-table.js';
import { iamPolicy } from './resources/iam-policy.js';
import { iamRole } from './resources/iam-role.js';
import { kmsKeyType } from './resources/kms-key.js';
import { lambdaFunction } from './resources/lambda-function.js';
import { rdsInstance } from './resources/rds-instance.js';
import { s3Bucket } from './resources/s3-bucket.js';
import { securityGroup } from './resources/security-group.js';
import type { DriftType } from './types.js';

export const DRIFT_TYPES: readonly DriftType[] = [
  s3Bucket,
  securityGroup,
  iamRole,
  iamPolicy,
  lambdaFunction,
  rdsInstance,
  kmsKeyType,
  dynamodbTable,
];

export function driftTypeOf(configType: string): DriftType | undefined {
  return DRIFT_TYPES.find((t) => t.configType === configType);
}

/**
 * True when drift can compare resources of `resourceType`: a Config type (`AWS::S3::Bucket`), a
 * Terraform type (`aws_s3_bucket`) or a CloudFormation type (`AWS::IAM::ManagedPolicy`).
 */
export function supportsDrift(resourceType: string): boolean {
  return DRIFT_TYPES.some(
    (t) => t.configType === resourceType || t.terraform.includes(resourceType) || t.cloudformation.includes(resourceType),
  );
}

/** The Config types drift supports, for messages. */
export function supportedConfigTypes(): string[] {
  return DRIFT_TYPES.map((t) => t.configType);
}
