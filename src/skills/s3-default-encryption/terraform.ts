/**
 * S3.4 in Terraform: the default encryption of an `aws_s3_bucket`, from a bound
 * `aws_s3_bucket_server_side_encryption_configuration` (provider v4+) or the bucket's inline
 * `server_side_encryption_configuration` block (provider v3 style).
 */
import type { TextEdit } from '../../iac/edits.js';
import { appendToBody, insertAfter, setAttribute } from '../../iac/terraform/edit.js';
import { attribute, blocks, type HclBlock } from '../../iac/terraform/hcl-structure.js';
import { attrValue, type TfFile, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { HclRaw, renderBlock, renderHcl } from '../../iac/terraform/render.js';
import { tfString, type Remedy } from '../helpers.js';
import { bucketSettings, freeName, isCounted, usesInlineStyle } from '../s3-terraform.js';
import type { Violation } from '../types.js';

/** Algorithms S3 accepts as a bucket's default encryption. */
export const ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];
const CONFIG = 'aws_s3_bucket_server_side_encryption_configuration';
const INLINE = 'server_side_encryption_configuration';
const DEFAULT = 'apply_server_side_encryption_by_default';
const AES256_DEFAULT = `${DEFAULT} {\n  sse_algorithm = "AES256"\n}`;
const AES256_RULE = `rule {\n  ${AES256_DEFAULT.replace(/\n/g, '\n  ')}\n}`;
const AES256_INLINE = `${INLINE} {\n  ${AES256_RULE.replace(/\n/g, '\n  ')}\n}`;

type Rule =
  | { readonly state: 'valid' }
  | {
      readonly state: 'invalid' | 'unknown' | 'none';
      readonly offset: number;
      readonly value: string;
      readonly edit?: (file: TfFile) => TextEdit;
    };

/** A `dynamic` block: its content is generated, so cloudmend cannot evaluate it. */
function dynamicRule(offset: number): Rule {
  return { state: 'unknown', offset, value: 'a dynamic block' };
}

/** The state of one encryption configuration body (the resource, or the inline block). */
function configState(module: TfModule, config: HclBlock): Rule {
  if (blocks(config.body, 'dynamic').length > 0) return dynamicRule(config.span.start);
  const rules = blocks(config.body, 'rule');
  const results = rules.map((rule): Rule => {
    const def = blocks(rule.body, DEFAULT)[0];
    if (!def) return { state: 'none', offset: rule.span.start, value: 'none', edit: (file) => appendToBody(file, rule, [AES256_DEFAULT]) };
    const attr = attribute(def.body, 'sse_algorithm');
    const algorithm = tfString(module, def.body, 'sse_algorithm');
    if (attr && algorithm === undefined) return { state: 'unknown', offset: attr.span.start, value: attr.expr };
    if (algorithm !== undefined && ALGORITHMS.includes(algorithm)) return { state: 'valid' };
    // An invalid algorithm next to a KMS key meant KMS: which one is for a person to say.
    const guess = attribute(def.body, 'kms_master_key_id') !== undefined;
    return {
      state: 'invalid',
      offset: attr?.span.start ?? def.span.start,
      value: JSON.stringify(algorithm ?? ''),
      ...(guess ? {} : { edit: (file: TfFile) => setAttribute(file, def, 'sse_algorithm', '"AES256"') }),
    };
  });
  if (results.some((r) => r.state === 'valid')) return { state: 'valid' };
  return (
    results.find((r) => r.state === 'unknown') ??
    results.find((r) => r.state === 'invalid') ??
    results[0] ?? { state: 'none', offset: config.span.start, value: 'none', edit: (file) => appendToBody(file, config, [AES256_RULE]) }
  );
}

/** Encryption findings for one `aws_s3_bucket`. */
export function bucketFindings(module: TfModule, bucket: TfResource): Remedy[] {
  const { body } = bucket.block;
  const found = [
    ...bucketSettings(module, bucket, CONFIG).map(({ resource: c, bound }) => ({
      file: c.file,
      bound,
      state: configState(module, c.block),
    })),
    ...blocks(body, INLINE).map((b) => ({ file: bucket.file, bound: true, state: configState(module, b) })),
    ...blocks(body, 'dynamic')
      .filter((d) => d.labels[0] === INLINE)
      .map((d) => ({ file: bucket.file, bound: true, state: dynamicRule(d.span.start) })),
  ];
  const base = { resource: bucket.address, data: { bucket: bucket.name } };
  if (found.some((f) => f.state.state === 'valid')) return [];
  const [first] = found;
  if (first && first.state.state !== 'valid') {
    const { state, offset, value, edit } = first.state;
    const messageId = state === 'unknown' ? 'algorithmUnknown' : state === 'invalid' ? 'invalidAlgorithm' : 'noAlgorithm';
    const fix = edit && first.bound ? edit(first.file) : undefined;
    // Offsets point into the bucket's file: a configuration elsewhere is pointed at through the bucket.
    const at = first.file === bucket.file ? offset : bucket.block.span.start;
    const violation: Violation = {
      ...base,
      data: { ...base.data, value },
      messageId,
      offset: at,
      fixable: fix !== undefined,
      kind: state === 'none' ? 'unpinned' : 'violation',
    };
    return [{ violation, ...(fix ? { edits: [fix], note: `Set the default encryption of ${bucket.address} to AES256 (SSE-S3).` } : {}) }];
  }
  const violation: Violation = { ...base, messageId: 'noEncryption', offset: bucket.block.span.start, fixable: true, kind: 'unpinned' };
  if (usesInlineStyle(module, body)) {
    const lines = body.items.length > 0 ? ['', AES256_INLINE] : [AES256_INLINE];
    return [
      {
        violation,
        edits: [appendToBody(bucket.file, bucket.block, lines)],
        note: `Pinned the default encryption of ${bucket.address} to AES256 (SSE-S3) in its inline ${INLINE} block.`,
      },
    ];
  }
  const sibling = freeName(module, CONFIG, bucket.name, 'encryption');
  if (sibling === undefined || isCounted(bucket)) return [{ violation: { ...violation, fixable: false } }];
  const block = renderBlock('resource', [CONFIG, sibling], { bucket: new HclRaw(`${bucket.address}.id`) }, [AES256_RULE]);
  return [
    {
      violation,
      edits: [insertAfter(bucket.file, bucket.block, block)],
      note: `Added ${CONFIG}.${sibling}, pinning AES256 (SSE-S3), the encryption S3 applies by default.`,
    },
  ];
}

const MODULE_VALUE = { rule: { [DEFAULT]: { sse_algorithm: 'AES256' } } };

/** Encryption findings for the `terraform-aws-modules/s3-bucket/aws` module and its `server_side_encryption_configuration` input. */
export function moduleFindings(module: TfModule, resource: TfResource): Remedy[] {
  const { body } = resource.block;
  const attr = attribute(body, INLINE);
  const base = { resource: resource.address, data: { bucket: resource.name } };
  if (!attr) {
    const violation: Violation = { ...base, messageId: 'noEncryption', offset: resource.block.span.start, fixable: true, kind: 'unpinned' };
    const line = `${INLINE} = ${renderHcl(MODULE_VALUE)}`;
    const edit = appendToBody(resource.file, resource.block, body.items.length > 0 ? ['', line] : [line]);
    return [{ violation, edits: [edit], note: `Pinned the default encryption of ${resource.address} to AES256 (SSE-S3).` }];
  }
  const value = attrValue(module, body, INLINE);
  const rules = value && typeof value === 'object' && !Array.isArray(value) ? [value.rule].flat() : undefined;
  const algorithms = rules?.map((r) => {
    const def = r && typeof r === 'object' && !Array.isArray(r) ? r[DEFAULT] : undefined;
    return def && typeof def === 'object' && !Array.isArray(def) ? def.sse_algorithm : undefined;
  });
  if (algorithms?.some((a) => typeof a === 'string' && ALGORITHMS.includes(a))) return [];
  const unknown = algorithms === undefined;
  const violation: Violation = {
    ...base,
    data: {
      ...base.data,
      value: unknown ? (attr.expr.split('\n')[0] ?? '') : JSON.stringify(algorithms.find((a) => a !== undefined) ?? 'none'),
    },
    messageId: unknown ? 'algorithmUnknown' : 'invalidAlgorithm',
    offset: attr.span.start,
    fixable: false,
    kind: 'violation',
  };
  return [{ violation }];
}
