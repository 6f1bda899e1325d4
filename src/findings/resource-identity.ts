/**
 * One key per resource, whichever source reported it: Security Hub names resources by ARN, Config
 * compliance events by resource id. Where the ARN follows from the id, build it, so that a bucket
 * reported by both collapses into one fingerprint. Types whose Config id is not part of the ARN
 * (RDS `db-…` resource ids, IAM unique ids) keep `type/id`.
 */
import type { Finding } from './finding.js';

export interface Scope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

type ArnBuilder = (id: string, s: Scope) => string;

const ec2 =
  (kind: string): ArnBuilder =>
  (id, s) =>
    `arn:${s.partition}:ec2:${s.region}:${s.account}:${kind}/${id}`;

const ARN_OF_ID: Readonly<Record<string, ArnBuilder>> = {
  'AWS::S3::Bucket': (id, s) => `arn:${s.partition}:s3:::${id}`,
  'AWS::EC2::SecurityGroup': ec2('security-group'),
  'AWS::EC2::Instance': ec2('instance'),
  'AWS::EC2::Volume': ec2('volume'),
  'AWS::EC2::VPC': ec2('vpc'),
  'AWS::EC2::Subnet': ec2('subnet'),
  'AWS::EC2::NetworkAcl': ec2('network-acl'),
  'AWS::KMS::Key': (id, s) => `arn:${s.partition}:kms:${s.region}:${s.account}:key/${id}`,
  'AWS::Lambda::Function': (id, s) => `arn:${s.partition}:lambda:${s.region}:${s.account}:function:${id}`,
  'AWS::DynamoDB::Table': (id, s) => `arn:${s.partition}:dynamodb:${s.region}:${s.account}:table/${id}`,
};

/** The resource's ARN: given, already the id, or derived from the id for the types above. */
export function arnOf(type: string, id: string, scope: Scope, given?: string): string | undefined {
  if (given?.startsWith('arn:')) return given;
  if (id.startsWith('arn:')) return id;
  const build = Object.hasOwn(ARN_OF_ID, type) ? ARN_OF_ID[type] : undefined;
  return build?.(id, scope);
}

/** The key fingerprints use: the ARN when known; accounts by account id; otherwise `type/id`. */
export function resourceKey(type: string, id: string, scope: Scope, arn: string | undefined): string {
  if (type === 'AWS::::Account') return `AWS::::Account:${scope.account}`;
  return arn ?? `${type}/${id}`;
}

// Config resource ids that are the resource's physical name.
const ID_IS_NAME = new Set(['AWS::S3::Bucket', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table']);

/** The physical name of a resource known only by its Config resource id, where the id is the name. */
export function nameOfConfigResource(type: string, id: string, scope: Scope): string | undefined {
  if (type === 'AWS::::Account') return scope.account;
  return ID_IS_NAME.has(type) ? id : undefined;
}

/**
 * The key of a finding's resource, the same whichever source reported it (its ARN where one is
 * known, else `type/id`): what batching keeps together and what one change (pull request) covers.
 */
export function resourceKeyOf(finding: Pick<Finding, 'partition' | 'region' | 'account' | 'resource'>): string {
  const scope = { partition: finding.partition, region: finding.region, account: finding.account };
  const { type, id, arn } = finding.resource;
  return resourceKey(type, id, scope, arnOf(type, id, scope, arn));
}
