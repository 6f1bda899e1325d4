/**
 * RDS DB instances: storage encryption, public accessibility, backups, deletion protection,
 * instance class, Multi-AZ, KMS key, IAM authentication and tags. Backups and deletion protection
 * are resilience settings: benign by the classification's four categories, yet `weakens` still
 * says when the live value protects less.
 */
import type { Declaration } from '../declaration.js';
import type { ConfigItem } from '../item.js';
import { pick } from '../partial.js';
import type { DriftType, Fact, Spec } from '../types.js';
import {
  declaredTags,
  kmsKey,
  liveTags,
  lowerIsWeaker,
  put,
  secureWhenFalse,
  secureWhenTrue,
  TAGS_SPEC,
  toBool,
  toNumber,
} from './common.js';

const specs: Spec[] = [
  {
    kind: 'scalar',
    path: 'storageEncrypted',
    label: 'RDS storage encryption',
    category: 'encryption',
    normalize: toBool,
    weakens: secureWhenTrue,
  },
  {
    kind: 'scalar',
    path: 'publiclyAccessible',
    label: 'RDS publicly accessible',
    category: 'exposure',
    normalize: toBool,
    weakens: secureWhenFalse,
    undeclared: (live) => (live === true ? 'the instance has a public endpoint' : undefined),
  },
  { kind: 'scalar', path: 'kmsKeyId', label: 'RDS storage KMS key', category: 'encryption', normalize: kmsKey },
  {
    kind: 'scalar',
    path: 'iamAuthentication',
    label: 'RDS IAM database authentication',
    category: 'iam',
    normalize: toBool,
    weakens: secureWhenTrue,
  },
  { kind: 'scalar', path: 'backupRetentionPeriod', label: 'RDS backup retention (days)', normalize: toNumber, weakens: lowerIsWeaker },
  { kind: 'scalar', path: 'deletionProtection', label: 'RDS deletion protection', normalize: toBool, weakens: secureWhenTrue },
  { kind: 'scalar', path: 'instanceClass', label: 'RDS instance class' },
  { kind: 'scalar', path: 'multiAZ', label: 'RDS Multi-AZ', normalize: toBool },
  TAGS_SPEC,
];

/** Spec path → Terraform attribute, CloudFormation property, Config field. */
const FIELDS = [
  ['storageEncrypted', 'storage_encrypted', 'StorageEncrypted', 'storageEncrypted'],
  ['publiclyAccessible', 'publicly_accessible', 'PubliclyAccessible', 'publiclyAccessible'],
  ['kmsKeyId', 'kms_key_id', 'KmsKeyId', 'kmsKeyId'],
  ['iamAuthentication', 'iam_database_authentication_enabled', 'EnableIAMDatabaseAuthentication', 'iAMDatabaseAuthenticationEnabled'],
  ['backupRetentionPeriod', 'backup_retention_period', 'BackupRetentionPeriod', 'backupRetentionPeriod'],
  ['deletionProtection', 'deletion_protection', 'DeletionProtection', 'deletionProtection'],
  ['instanceClass', 'instance_class', 'DBInstanceClass', 'dBInstanceClass'],
  ['multiAZ', 'multi_az', 'MultiAZ', 'multiAZ'],
] as const;

function declared(d: Declaration): Record<string, Fact> {
  const facts: Record<string, Fact> = {};
  for (const [path, tf, cfn] of FIELDS) put(facts, path, d.props[d.kind === 'terraform' ? tf : cfn]);
  put(facts, 'tags', declaredTags(d));
  return facts;
}

function live(item: ConfigItem): Record<string, Fact> {
  const facts: Record<string, Fact> = { tags: liveTags(item) };
  // `pick` matches case-insensitively: Config has written `dBInstanceClass` and `dbinstanceClass`.
  for (const [path, , , field] of FIELDS) put(facts, path, pick(item.configuration, field));
  return facts;
}

export const rdsInstance: DriftType = {
  configType: 'AWS::RDS::DBInstance',
  terraform: ['aws_db_instance'],
  cloudformation: ['AWS::RDS::DBInstance'],
  specs,
  declared,
  live,
};
