/**
 * S3.14: buckets keep versioning enabled, so an overwritten or deleted object can be restored.
 * Versioning is off on a new bucket. Terraform states it through a bound `aws_s3_bucket_versioning`
 * (provider v4+), the bucket's inline `versioning` block (v3 style) or the S3 module's `versioning`
 * input; CloudFormation through `VersioningConfiguration.Status`.
 */
import { appendToBody, insertAfter } from '../../iac/terraform/edit.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { attrValue, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { HclRaw, renderBlock } from '../../iac/terraform/render.js';
import { cfnSettingRemedy, remedyRule, tfSettingRemedy, type Remedy, type SettingRule } from '../helpers.js';
import { bucketSettings, freeName, isCounted, S3_MODULE, usesInlineStyle } from '../s3-terraform.js';
import { defineSkill, type CfnTarget, type TfTarget, type Violation } from '../types.js';

const VERSIONING = 'aws_s3_bucket_versioning';
const COST =
  'Every overwritten or deleted object is now kept as a noncurrent version and billed as storage: add a lifecycle rule expiring noncurrent versions if objects are rewritten often. Once enabled, versioning can only be suspended, never turned off.';

function note(bucket: string): string {
  return `Enabled versioning on ${bucket}. ${COST}`;
}

const status = (bucket: string): SettingRule => ({ value: 'Enabled', whenMissing: 'violation', note: note(bucket) });

/** The S3 module's `versioning` input: `{ enabled = true }` or `{ status = true | "Enabled" }`. */
function moduleRemedies(module: TfModule, call: TfResource): Remedy[] {
  const { body } = call.block;
  const attr = attribute(body, 'versioning');
  const base = { resource: call.address, data: { bucket: call.name } };
  if (!attr) {
    const violation: Violation = { ...base, messageId: 'noVersioning', offset: call.block.span.start, fixable: true, kind: 'violation' };
    const edit = appendToBody(call.file, call.block, [...(body.items.length > 0 ? [''] : []), 'versioning = {', '  enabled = true', '}']);
    return [{ violation, edits: [edit], note: note(call.address) }];
  }
  const value = attrValue(module, body, 'versioning');
  const map = value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  const on = (v: unknown) => v === true || v === 'true' || (typeof v === 'string' && v.toLowerCase() === 'enabled');
  if (map && (on(map.enabled) || (map.enabled === undefined && on(map.status)))) return [];
  const expr = attr.expr.replace(/\s+/g, ' ');
  return [
    {
      violation: {
        ...base,
        data: { ...base.data, expr },
        messageId: 'moduleVersioning',
        offset: attr.span.start,
        fixable: false,
        kind: 'violation',
      },
    },
  ];
}

/** Remedies of one `aws_s3_bucket`: its bound versioning resources, its inline block, or a new one. */
function bucketRemedies(module: TfModule, bucket: TfResource): Remedy[] {
  const { body } = bucket.block;
  const bound = bucketSettings(module, bucket, VERSIONING).flatMap(({ resource, bound }) =>
    tfSettingRemedy(
      module,
      resource,
      ['versioning_configuration', 'status'],
      status(bucket.address),
      resource.block,
      `${resource.address} status`,
    ).map((r) => ({
      // The finding is the bucket's; a resource naming the bucket by a literal is a person's to change.
      violation: {
        ...r.violation,
        resource: bucket.address,
        offset: resource.file === bucket.file ? r.violation.offset : bucket.block.span.start,
        fixable: r.violation.fixable && bound,
      },
      ...(bound ? { edits: r.edits, note: r.note } : {}),
    })),
  );
  const inline = body.items.some(
    (i) => i.kind === 'block' && (i.type === 'versioning' || (i.type === 'dynamic' && i.labels[0] === 'versioning')),
  );
  if (inline) return [...bound, ...tfSettingRemedy(module, bucket, ['versioning', 'enabled'], { ...status(bucket.address), value: true })];
  if (bucketSettings(module, bucket, VERSIONING).length > 0) return bound;
  const violation: Violation = {
    resource: bucket.address,
    data: { bucket: bucket.name },
    messageId: 'noVersioning',
    offset: bucket.block.span.start,
    fixable: true,
    kind: 'violation',
  };
  if (usesInlineStyle(module, body)) {
    const lines = [...(body.items.length > 0 ? [''] : []), 'versioning {', '  enabled = true', '}'];
    return [{ violation, edits: [appendToBody(bucket.file, bucket.block, lines)], note: note(bucket.address) }];
  }
  const sibling = freeName(module, VERSIONING, bucket.name, 'versioning');
  if (sibling === undefined || isCounted(bucket)) return [{ violation: { ...violation, fixable: false } }];
  const block = renderBlock('resource', [VERSIONING, sibling], { bucket: new HclRaw(`${bucket.address}.id`) }, [
    'versioning_configuration {\n  status = "Enabled"\n}',
  ]);
  return [
    { violation, edits: [insertAfter(bucket.file, bucket.block, block)], note: `Added ${VERSIONING}.${sibling}. ${note(bucket.address)}` },
  ];
}

export default defineSkill({
  meta: {
    id: 's3-versioning',
    title: 'S3 buckets: versioning enabled',
    controls: ['S3.14'],
    configRules: ['s3-bucket-versioning-enabled'],
    fixable: 'code',
    risk: 'none',
    messages: {
      noVersioning: 'Bucket {{bucket}} does not enable versioning: S3 keeps no earlier version of an overwritten or deleted object.',
      moduleVersioning:
        'Bucket {{bucket}} sets versioning to {{expr}}, which does not enable it (or cloudmend cannot evaluate it): set enabled = true.',
      settingWrong: '{{setting}} is {{value}}: S3 keeps no earlier version of an overwritten or deleted object.',
      settingMissing: '{{setting}} is not set: versioning is off unless enabled.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it enables versioning.',
    },
  },

  terraform: {
    resourceTypes: ['aws_s3_bucket', `module:${S3_MODULE}`],
    ...remedyRule(({ module, resource }: TfTarget) =>
      resource.mode === 'module' ? moduleRemedies(module, resource) : bucketRemedies(module, resource),
    ),
  },

  cloudformation: {
    resourceTypes: ['AWS::S3::Bucket'],
    ...remedyRule(({ template, resource }: CfnTarget) =>
      cfnSettingRemedy(template, resource, ['Properties', 'VersioningConfiguration', 'Status'], status(resource.logicalId)),
    ),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_s3.Bucket'],
    fix: () => [{ name: 'versioned', value: true }],
  },
});
