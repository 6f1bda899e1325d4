/**
 * S3.9: buckets log server access requests to another bucket, so who read, wrote or deleted an
 * object can be found out later. Logging is off on a new bucket. Where logs go is the team's
 * (`skills.s3AccessLogBucket`, optional `skills.s3AccessLogPrefix`): without it, a suggestion.
 * Terraform states it through a bound `aws_s3_bucket_logging` (provider v4+), the bucket's inline
 * `logging` block (v3 style) or the S3 module's `logging` input; CloudFormation through
 * `LoggingConfiguration`, which without a destination logs into the bucket itself (still logging).
 * The log bucket itself is never logged into itself: every delivery would be logged again.
 */
import { setPropertyAt } from '../../iac/cloudformation/edit.js';
import { cfnResolver } from '../../iac/cloudformation/resolve.js';
import { nodeAt, propertyAt } from '../../iac/cloudformation/template.js';
import type { TextEdit } from '../../iac/edits.js';
import { appendToBody, bodyIndent, insertAfter, setAttribute } from '../../iac/terraform/edit.js';
import { attribute, blocks } from '../../iac/terraform/hcl-structure.js';
import { attrValue, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { HclRaw, renderBlock, renderHcl } from '../../iac/terraform/render.js';
import { editOrNothing, remedyRule, tfString, type Remedy } from '../helpers.js';
import { bucketSettings, freeName, isCounted, S3_MODULE, usesInlineStyle } from '../s3-terraform.js';
import { defineSkill, type CfnTarget, type SkillOptions, type TfTarget, type Violation } from '../types.js';

const LOGGING = 'aws_s3_bucket_logging';

/** Where a bucket's logs go: the configured bucket, under `<prefix><name>/` (`name`: the bucket's name in the code). */
interface LogTarget {
  readonly bucket: string;
  readonly prefix: string;
}

/** What a bucket's logging looks like, before the configured target is known. */
interface Site {
  readonly bucket: string;
  readonly offset: number;
  /** The bucket's name, when it evaluates: the configured log bucket is never logged into itself. */
  readonly name: string | undefined;
  /** Logging is set with an expression cloudmend cannot evaluate: shown, never overwritten. */
  readonly unknown?: string | undefined;
  /** The edits logging the bucket to `target`; undefined when only a person can (a counted bucket). */
  readonly edits: ((target: LogTarget) => TextEdit[] | undefined) | undefined;
}

function remedies(site: Site | undefined, codeName: string, options: SkillOptions): Remedy[] {
  if (!site) return [];
  const { s3AccessLogBucket: logBucket, s3AccessLogPrefix: prefix = '' } = options;
  const base = { resource: site.bucket, offset: site.offset, kind: 'violation' as const, data: { bucket: site.bucket } };
  const unfixable = (messageId: string, data: Record<string, string> = {}): Remedy[] => [
    { violation: { ...base, messageId, data: { ...base.data, ...data }, fixable: false } },
  ];
  if (site.unknown !== undefined) return unfixable('loggingUnknown', { expr: site.unknown });
  if (logBucket === undefined) return unfixable('noLogBucketConfigured');
  if (site.name === logBucket) return unfixable('logBucketItself', { logBucket });
  const target = { bucket: logBucket, prefix: `${prefix}${codeName}/` };
  const edits = site.edits?.(target);
  const violation: Violation = { ...base, messageId: 'noLogging', fixable: edits !== undefined };
  if (!edits) return [{ violation }];
  return [
    {
      violation,
      edits,
      note: `${site.bucket} now logs server access requests to ${logBucket} under ${target.prefix}. The log bucket must let logging.s3.amazonaws.com write (a bucket policy; its ACLs disabled), else no logs arrive; logs are billed as storage there: add a lifecycle rule expiring them.`,
    },
  ];
}

const targetLines = (t: LogTarget) => [`target_bucket = ${renderHcl(t.bucket)}`, `target_prefix = ${renderHcl(t.prefix)}`];

/** Logging of one `aws_s3_bucket`: its bound logging resources, its inline block, or a new one. */
function bucketSite(module: TfModule, bucket: TfResource): Site | undefined {
  const { body } = bucket.block;
  if (bucketSettings(module, bucket, LOGGING).length > 0 || blocks(body, 'logging').length > 0) return undefined;
  const dynamic = blocks(body, 'dynamic').find((d) => d.labels[0] === 'logging');
  const site = { bucket: bucket.address, name: tfString(module, body, 'bucket') };
  if (dynamic) return { ...site, offset: dynamic.span.start, unknown: 'dynamic "logging"', edits: undefined };
  const offset = bucket.block.span.start;
  if (usesInlineStyle(module, body)) {
    const lines = (t: LogTarget) => [...(body.items.length > 0 ? [''] : []), 'logging {', ...targetLines(t).map((l) => `  ${l}`), '}'];
    return { ...site, offset, edits: (t) => [appendToBody(bucket.file, bucket.block, lines(t))] };
  }
  const sibling = freeName(module, LOGGING, bucket.name, 'logging');
  if (sibling === undefined || isCounted(bucket)) return { ...site, offset, edits: undefined };
  const block = (t: LogTarget) =>
    renderBlock('resource', [LOGGING, sibling], {
      bucket: new HclRaw(`${bucket.address}.id`),
      target_bucket: t.bucket,
      target_prefix: t.prefix,
    });
  return { ...site, offset, edits: (t) => [insertAfter(bucket.file, bucket.block, block(t))] };
}

/** The S3 module's `logging` input: `{ target_bucket, target_prefix }` (null or `{}`: no logging). */
function moduleSite(module: TfModule, call: TfResource): Site | undefined {
  const { body } = call.block;
  const attr = attribute(body, 'logging');
  const site = { bucket: call.address, name: tfString(module, body, 'bucket') };
  const input = (t: LogTarget, indent = '') => renderHcl({ target_bucket: t.bucket, target_prefix: t.prefix }, indent);
  if (!attr) {
    const lines = (t: LogTarget) => [...(body.items.length > 0 ? [''] : []), ...`logging = ${input(t)}`.split('\n')];
    return { ...site, offset: call.block.span.start, edits: (t) => [appendToBody(call.file, call.block, lines(t))] };
  }
  const value = attrValue(module, body, 'logging');
  const empty = value === null || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
  if (empty)
    return {
      ...site,
      offset: attr.span.start,
      edits: (t) => [setAttribute(call.file, call.block, 'logging', input(t, bodyIndent(call.file, call.block)))],
    };
  // A map naming a target bucket, even through a reference, logs.
  if (/\btarget_bucket\b/.test(attr.expr)) return undefined;
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof value.target_bucket === 'string') return undefined;
  return { ...site, offset: attr.span.start, unknown: attr.expr.replace(/\s+/g, ' '), edits: undefined };
}

function cfnRemedies({ template, resource, options }: CfnTarget): Remedy[] {
  const path = ['Properties', 'LoggingConfiguration'];
  const value = propertyAt(resource, path);
  if (value !== undefined && value !== null && !(typeof value === 'object' && !Array.isArray(value) && 'Fn::If' in value)) return [];
  const name = cfnResolver(template).resolve(propertyAt(resource, ['Properties', 'BucketName']) ?? null);
  const site: Site = {
    bucket: resource.logicalId,
    offset: nodeAt(resource, path)?.range?.[0] ?? resource.span.start,
    name: typeof name === 'string' ? name : undefined,
    unknown: value ? JSON.stringify(value) : undefined,
    edits: (t) => {
      const edit = editOrNothing(() =>
        setPropertyAt(template, resource, path, { DestinationBucketName: t.bucket, LogFilePrefix: t.prefix }),
      );
      return edit && [edit];
    },
  };
  return remedies(site, resource.logicalId, options);
}

export default defineSkill({
  meta: {
    id: 's3-access-logging',
    title: 'S3 buckets: server access logging on',
    controls: ['S3.9'],
    configRules: ['s3-bucket-logging-enabled'],
    fixable: 'code',
    options: ['s3AccessLogBucket', 's3AccessLogPrefix'],
    risk: 'none',
    messages: {
      noLogging: 'Bucket {{bucket}} does not log server access requests: who read, wrote or deleted its objects cannot be found out later.',
      noLogBucketConfigured:
        'Bucket {{bucket}} does not log server access requests: set skills.s3AccessLogBucket in the config to the bucket access logs go to (optionally skills.s3AccessLogPrefix), or configure its logging here.',
      logBucketItself:
        'Bucket {{bucket}} is the configured access log bucket ({{logBucket}}, skills.s3AccessLogBucket): logging it into itself would log every log delivery again; if it must be logged, log it to another bucket.',
      loggingUnknown:
        'Bucket {{bucket}} sets its logging with an expression cloudmend cannot evaluate ({{expr}}); make sure it names a target bucket.',
    },
  },

  terraform: {
    resourceTypes: ['aws_s3_bucket', `module:${S3_MODULE}`],
    ...remedyRule(({ module, resource, options }: TfTarget) =>
      remedies(resource.mode === 'module' ? moduleSite(module, resource) : bucketSite(module, resource), resource.name, options),
    ),
  },

  cloudformation: {
    resourceTypes: ['AWS::S3::Bucket'],
    ...remedyRule(cfnRemedies),
  },
});
