/**
 * S3 buckets: versioning, default encryption, Block Public Access, bucket policy and tags. In
 * Terraform these live on split-out sibling resources since provider v4 (the legacy inline blocks
 * are read too); in Config they are `supplementaryConfiguration` entries.
 */
import type { Declaration } from '../declaration.js';
import type { ConfigItem } from '../item.js';
import { pick, type Json, type Partial } from '../partial.js';
import type { DriftType, Fact, Spec } from '../types.js';
import { declaredTags, first, kmsKey, liveTags, put, rankWeakens, secureWhenTrue, TAGS_SPEC, toBool } from './common.js';

const FLAGS = [
  ['blockPublicAcls', 'block_public_acls', 'BlockPublicAcls'],
  ['ignorePublicAcls', 'ignore_public_acls', 'IgnorePublicAcls'],
  ['blockPublicPolicy', 'block_public_policy', 'BlockPublicPolicy'],
  ['restrictPublicBuckets', 'restrict_public_buckets', 'RestrictPublicBuckets'],
] as const;

/** Not versioning: never enabled (`Off`, Terraform's `Disabled`) or `Suspended`; both keep new objects unversioned. */
function versioning(value: Json): Json {
  return value === 'Enabled' ? 'Enabled' : typeof value === 'string' ? 'Disabled' : value;
}

const specs: Spec[] = [
  {
    kind: 'scalar',
    path: 'versioning',
    label: 'S3 versioning',
    normalize: versioning,
    weakens: (d, l) => d === 'Enabled' && l !== 'Enabled',
  },
  {
    kind: 'scalar',
    path: 'encryption.sseAlgorithm',
    label: 'S3 default encryption algorithm',
    category: 'encryption',
    weakens: rankWeakens([null, 'AES256', 'aws:kms', 'aws:kms:dsse']),
  },
  { kind: 'scalar', path: 'encryption.kmsMasterKeyId', label: 'S3 default encryption KMS key', category: 'encryption', normalize: kmsKey },
  { kind: 'scalar', path: 'encryption.bucketKeyEnabled', label: 'S3 Bucket Key', normalize: toBool },
  ...FLAGS.map(
    ([flag]): Spec => ({
      kind: 'scalar',
      path: `publicAccessBlock.${flag}`,
      label: `S3 Block Public Access ${flag}`,
      category: 'exposure',
      normalize: toBool,
      weakens: secureWhenTrue,
      // An explicit `false` on the bucket is someone turning the block off; no block at all is the account's call.
      undeclared: (live) => (live === false ? 'the bucket-level public access block is turned off' : undefined),
    }),
  ),
  { kind: 'policy', path: 'bucketPolicy', label: 'bucket policy', undeclared: true },
  TAGS_SPEC,
];

function terraform(d: Declaration): Record<string, Fact> {
  const facts: Record<string, Fact> = {};
  const sibling = (type: string): Partial | undefined => d.siblings([type], 'bucket')[0]?.props;
  const versioningSib = sibling('aws_s3_bucket_versioning');
  const legacyVersioning = pick(first(d.props.versioning), 'enabled');
  put(
    facts,
    'versioning',
    versioningSib
      ? pick(first(pick(versioningSib, 'versioning_configuration')), 'status')
      : typeof legacyVersioning === 'boolean'
        ? legacyVersioning
          ? 'Enabled'
          : 'Suspended'
        : legacyVersioning,
  );
  const sse = sibling('aws_s3_bucket_server_side_encryption_configuration') ?? first(d.props.server_side_encryption_configuration);
  const rule = first(pick(sse, 'rule'));
  const byDefault = first(pick(rule, 'apply_server_side_encryption_by_default'));
  put(facts, 'encryption.sseAlgorithm', pick(byDefault, 'sse_algorithm'));
  put(facts, 'encryption.kmsMasterKeyId', pick(byDefault, 'kms_master_key_id'));
  put(facts, 'encryption.bucketKeyEnabled', pick(rule, 'bucket_key_enabled'));
  const pab = sibling('aws_s3_bucket_public_access_block');
  // The provider sends every flag; an omitted one is `false`.
  if (pab) for (const [flag, tf] of FLAGS) facts[`publicAccessBlock.${flag}`] = pick(pab, tf) ?? false;
  put(facts, 'bucketPolicy', pick(sibling('aws_s3_bucket_policy'), 'policy') ?? d.props.policy);
  put(facts, 'tags', declaredTags(d));
  return facts;
}

function cloudformation(d: Declaration): Record<string, Fact> {
  const facts: Record<string, Fact> = {};
  put(facts, 'versioning', pick(d.props, 'VersioningConfiguration', 'Status'));
  const rule = first(pick(d.props, 'BucketEncryption', 'ServerSideEncryptionConfiguration'));
  put(facts, 'encryption.sseAlgorithm', pick(rule, 'ServerSideEncryptionByDefault', 'SSEAlgorithm'));
  put(facts, 'encryption.kmsMasterKeyId', pick(rule, 'ServerSideEncryptionByDefault', 'KMSMasterKeyID'));
  put(facts, 'encryption.bucketKeyEnabled', pick(rule, 'BucketKeyEnabled'));
  const pab = d.props.PublicAccessBlockConfiguration;
  if (pab !== undefined) for (const [flag, , cfn] of FLAGS) facts[`publicAccessBlock.${flag}`] = pick(pab, cfn) ?? false;
  put(facts, 'bucketPolicy', pick(d.siblings(['AWS::S3::BucketPolicy'], 'Bucket')[0]?.props, 'PolicyDocument'));
  put(facts, 'tags', declaredTags(d));
  return facts;
}

function live(item: ConfigItem): Record<string, Fact> {
  const s = item.supplementary;
  const facts: Record<string, Fact> = { tags: liveTags(item) };
  put(facts, 'versioning', pick(s, 'BucketVersioningConfiguration', 'status'));
  // With supplementary configuration recorded, a missing entry means the bucket has none.
  const none = item.hasSupplementary ? null : undefined;
  const sse = pick(s, 'ServerSideEncryptionConfiguration');
  const rule = first(pick(sse, 'rules'));
  put(
    facts,
    'encryption.sseAlgorithm',
    sse === undefined || sse === null ? none : (pick(rule, 'applyServerSideEncryptionByDefault', 'sseAlgorithm') ?? null),
  );
  put(
    facts,
    'encryption.kmsMasterKeyId',
    sse === undefined || sse === null ? none : (pick(rule, 'applyServerSideEncryptionByDefault', 'kmsMasterKeyID') ?? null),
  );
  put(facts, 'encryption.bucketKeyEnabled', pick(rule, 'bucketKeyEnabled'));
  const pab = pick(s, 'PublicAccessBlockConfiguration');
  for (const [flag] of FLAGS) put(facts, `publicAccessBlock.${flag}`, pab === undefined || pab === null ? none : pick(pab, flag));
  const policy = pick(s, 'BucketPolicy');
  put(facts, 'bucketPolicy', policy === undefined ? none : (pick(policy, 'policyText') ?? null));
  return facts;
}

export const s3Bucket: DriftType = {
  configType: 'AWS::S3::Bucket',
  terraform: ['aws_s3_bucket'],
  cloudformation: ['AWS::S3::Bucket'],
  specs,
  declared: (d) => (d.kind === 'terraform' ? terraform(d) : cloudformation(d)),
  live,
};
