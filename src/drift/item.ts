/**
 * AWS Config configuration items as the comparator reads them. Config delivers the same item in
 * several shapes: inside a "Config Configuration Item Change" EventBridge event or bare, with
 * `configuration` as an object or as JSON text, with `supplementaryConfiguration` values as
 * objects or JSON strings (S3's `PublicAccessBlockConfiguration`, `AccessControlList`), and IAM
 * policy documents URL-encoded. Everything is decoded once here so comparators see plain values.
 */
import { InvalidConfigurationItemError } from './errors.js';
import { isObject, type Partial, type PObject } from './partial.js';

export interface ConfigItem {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string | undefined;
  readonly arn?: string | undefined;
  readonly accountId?: string | undefined;
  readonly region?: string | undefined;
  readonly partition: string;
  /** `OK`, `ResourceDiscovered`, `ResourceDeleted`, ... */
  readonly status?: string | undefined;
  readonly configuration: PObject;
  /** Values decoded from JSON text where Config sent text. */
  readonly supplementary: PObject;
  /** Whether Config recorded supplementary configuration at all (an empty map says nothing). */
  readonly hasSupplementary: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/** JSON text → value; anything else unchanged. Config nests JSON text one level deep at most. */
function decodeJsonText(value: Partial | undefined): Partial | undefined {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!/^[[{]/.test(text)) return value;
  try {
    return JSON.parse(text) as Partial;
  } catch {
    return value;
  }
}

/**
 * A policy document as IAM (and so Config) returns it: URL-encoded JSON text (RFC 3986, so `+` is
 * a plus sign), plain JSON text, or an already parsed object.
 */
export function decodePolicyText(value: Partial | undefined): Partial | undefined {
  if (typeof value !== 'string') return value;
  let text = value.trim();
  if (/^%7B/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return value;
    }
  }
  return decodeJsonText(text);
}

function tagsOf(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    // `[{key, value}]` in `configuration.tags` of some types, `[{Key, Value}]` in others.
    for (const t of raw as unknown[]) {
      if (!isObject(t)) continue;
      const key = t.key ?? t.Key;
      const value = t.value ?? t.Value;
      if (typeof key === 'string') out[key] = typeof value === 'string' ? value : JSON.stringify(value ?? '');
    }
  } else if (isObject(raw)) {
    for (const [k, v] of Object.entries(raw)) out[k] = typeof v === 'string' ? v : JSON.stringify(v ?? '');
  }
  return out;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function partitionOf(arn: string | undefined, region: string | undefined): string {
  const fromArn = arn?.split(':')[1];
  if (fromArn) return fromArn;
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The configuration item inside `value`: a bare item, or a whole EventBridge event / SNS message holding one. */
function unwrap(value: unknown): Record<string, unknown> {
  if (!isObject(value))
    throw new InvalidConfigurationItemError(
      'the live file must hold a JSON object: a configuration item or a "Config Configuration Item Change" event',
    );
  const detail = isObject(value.detail) ? value.detail : value;
  if (detail.messageType === 'OversizedConfigurationItemChangeNotification') {
    const summary = detail.s3DeliverySummary as { s3BucketLocation?: unknown } | undefined;
    const where = typeof summary?.s3BucketLocation === 'string' ? ` (${summary.s3BucketLocation})` : '';
    throw new InvalidConfigurationItemError(
      `the event is an oversized-item notification: download the configuration item from S3${where} and pass that file`,
    );
  }
  if (isObject(detail.configurationItem)) return detail.configurationItem;
  if ('resourceType' in value) return value;
  throw new InvalidConfigurationItemError(
    'no configuration item found: expected an object with resourceType, resourceId and configuration, or an event with detail.configurationItem',
  );
}

/** Reads a configuration item from a parsed JSON value; throws a user-facing error when it is none. */
export function readConfigurationItem(value: unknown): ConfigItem {
  const raw = unwrap(value);
  const resourceType = text(raw.resourceType);
  const resourceId = text(raw.resourceId);
  if (!resourceType || !resourceId) throw new InvalidConfigurationItemError('the configuration item has no resourceType or resourceId');
  const configuration = decodeJsonText(raw.configuration as Partial | undefined);
  const supplementary = decodeJsonText(raw.supplementaryConfiguration as Partial | undefined);
  const decoded: Record<string, Partial> = {};
  if (isObject(supplementary)) for (const [k, v] of Object.entries(supplementary)) decoded[k] = decodeJsonText(v) ?? null;
  const arn = text(raw.ARN) ?? text(raw.arn);
  const region = text(raw.awsRegion);
  const config = isObject(configuration) ? configuration : {};
  const topTags = tagsOf(raw.tags);
  return {
    resourceType,
    resourceId,
    resourceName: text(raw.resourceName),
    arn,
    accountId: text(raw.awsAccountId) ?? text(raw.accountId),
    region,
    partition: partitionOf(arn, region),
    status: text(raw.configurationItemStatus),
    configuration: config,
    supplementary: decoded,
    hasSupplementary: Object.keys(decoded).length > 0,
    // The item's own `tags` map is the usual one; `configuration.tags` is the service's shape.
    tags: Object.keys(topTags).length > 0 ? topTags : tagsOf(config.tags),
  };
}

/** True when the item records a deleted resource: there is no configuration to compare. */
export function isDeleted(item: ConfigItem): boolean {
  return item.status === 'ResourceDeleted' || item.status === 'ResourceDeletedNotRecorded';
}
