/**
 * DynamoDB tables: billing mode, server-side encryption, point-in-time recovery, TTL, deletion
 * protection and tags. Every table is encrypted; the difference that matters is an AWS owned key
 * (the default) against a KMS key the account controls.
 */
import type { Declaration } from '../declaration.js';
import type { ConfigItem } from '../item.js';
import { isUnknown, pick, type Json, type Partial } from '../partial.js';
import type { DriftType, Fact, Spec } from '../types.js';
import { declaredTags, first, kmsKey, liveTags, put, rankWeakens, secureWhenTrue, TAGS_SPEC, toBool } from './common.js';

const specs: Spec[] = [
  { kind: 'scalar', path: 'billingMode', label: 'DynamoDB billing mode' },
  {
    kind: 'scalar',
    path: 'sse.keyType',
    label: 'DynamoDB encryption key type',
    category: 'encryption',
    weakens: rankWeakens(['AWS_OWNED', 'KMS']),
  },
  { kind: 'scalar', path: 'sse.kmsKeyArn', label: 'DynamoDB encryption KMS key', category: 'encryption', normalize: kmsKey },
  { kind: 'scalar', path: 'pointInTimeRecovery', label: 'DynamoDB point-in-time recovery', normalize: toBool, weakens: secureWhenTrue },
  { kind: 'scalar', path: 'ttl.enabled', label: 'DynamoDB TTL enabled', normalize: toBool },
  { kind: 'scalar', path: 'ttl.attributeName', label: 'DynamoDB TTL attribute' },
  { kind: 'scalar', path: 'deletionProtection', label: 'DynamoDB deletion protection', normalize: toBool, weakens: secureWhenTrue },
  TAGS_SPEC,
];

/** `true` → a KMS key, `false` → the AWS owned key; unknown stays unknown. */
function keyType(enabled: Partial | undefined): Partial | undefined {
  if (enabled === undefined || isUnknown(enabled)) return enabled;
  return toBool(enabled as Json) === true ? 'KMS' : 'AWS_OWNED';
}

function terraform(d: Declaration): Record<string, Fact> {
  const p = d.props;
  const facts: Record<string, Fact> = {};
  put(facts, 'billingMode', p.billing_mode);
  const sse = first(p.server_side_encryption);
  put(facts, 'sse.keyType', keyType(pick(sse, 'enabled')));
  put(facts, 'sse.kmsKeyArn', pick(sse, 'kms_key_arn'));
  put(facts, 'pointInTimeRecovery', pick(first(p.point_in_time_recovery), 'enabled'));
  const ttl = first(p.ttl);
  put(facts, 'ttl.enabled', pick(ttl, 'enabled') ?? (ttl === undefined ? undefined : true));
  put(facts, 'ttl.attributeName', pick(ttl, 'attribute_name'));
  put(facts, 'deletionProtection', p.deletion_protection_enabled);
  put(facts, 'tags', declaredTags(d));
  return facts;
}

function cloudformation(d: Declaration): Record<string, Fact> {
  const p = d.props;
  const facts: Record<string, Fact> = {};
  put(facts, 'billingMode', p.BillingMode);
  put(facts, 'sse.keyType', keyType(pick(p.SSESpecification, 'SSEEnabled')));
  put(facts, 'sse.kmsKeyArn', pick(p.SSESpecification, 'KMSMasterKeyId'));
  put(facts, 'pointInTimeRecovery', pick(p.PointInTimeRecoverySpecification, 'PointInTimeRecoveryEnabled'));
  put(facts, 'ttl.enabled', pick(p.TimeToLiveSpecification, 'Enabled'));
  put(facts, 'ttl.attributeName', pick(p.TimeToLiveSpecification, 'AttributeName'));
  put(facts, 'deletionProtection', p.DeletionProtectionEnabled);
  put(facts, 'tags', declaredTags(d));
  return facts;
}

function live(item: ConfigItem): Record<string, Fact> {
  const c = item.configuration;
  const facts: Record<string, Fact> = { tags: liveTags(item) };
  if (Object.keys(c).length === 0) return facts;
  // Tables created before on-demand existed have no billing mode summary: they are provisioned.
  put(facts, 'billingMode', pick(c, 'billingModeSummary', 'billingMode') ?? 'PROVISIONED');
  const sse = pick(c, 'ssedescription');
  const status = pick(sse, 'status');
  facts['sse.keyType'] = (status === 'ENABLED' || status === 'UPDATING') && pick(sse, 'ssetype') === 'KMS' ? 'KMS' : 'AWS_OWNED';
  facts['sse.kmsKeyArn'] = pick(sse, 'kmsmasterKeyArn') ?? null;
  const pitr = pick(item.supplementary, 'ContinuousBackupsDescription', 'pointInTimeRecoveryDescription', 'pointInTimeRecoveryStatus');
  put(facts, 'pointInTimeRecovery', pitr === undefined ? undefined : pitr === 'ENABLED');
  const ttl = pick(item.supplementary, 'TimeToLiveDescription') ?? pick(c, 'timeToLiveDescription');
  const ttlStatus = pick(ttl, 'timeToLiveStatus');
  put(facts, 'ttl.enabled', ttlStatus === undefined ? undefined : ttlStatus === 'ENABLED' || ttlStatus === 'ENABLING');
  put(facts, 'ttl.attributeName', pick(ttl, 'attributeName'));
  put(facts, 'deletionProtection', pick(c, 'deletionProtectionEnabled'));
  return facts;
}

export const dynamodbTable: DriftType = {
  configType: 'AWS::DynamoDB::Table',
  terraform: ['aws_dynamodb_table'],
  cloudformation: ['AWS::DynamoDB::Table'],
  specs,
  declared: (d) => (d.kind === 'terraform' ? terraform(d) : cloudformation(d)),
  live,
};
