/**
 * What S3 skills share in Terraform: an `aws_s3_bucket` is configured either through resources of
 * their own bound to it (provider v4+: `aws_s3_bucket_versioning`, `aws_s3_bucket_logging`...) or
 * through inline blocks (provider v3 style); a fix follows the style the bucket is written in.
 */
import { attribute, blocks, type HclBody } from '../iac/terraform/hcl-structure.js';
import { attrExpr, attrValue, refersTo, type TfModule, type TfResource } from '../iac/terraform/module.js';

/** terraform-aws-modules' S3 bucket module. */
export const S3_MODULE = 'terraform-aws-modules/s3-bucket/aws';

// Arguments of aws_s3_bucket that provider v4 moved to their own resources: their presence means
// the bucket is written in the v3 inline style, and a separate resource would fight with it.
const V3_ARGUMENTS = [
  'acl',
  'policy',
  'acceleration_status',
  'request_payer',
  'grant',
  'versioning',
  'logging',
  'lifecycle_rule',
  'website',
  'cors_rule',
  'replication_configuration',
  'object_lock_configuration',
  'server_side_encryption_configuration',
];

/** True when one clause of a version constraint keeps the provider below v4 (`~> 3.0`, `< 4.0`, `3.74.0`). */
function capsBelowV4(clause: string): boolean {
  const m = /^\s*(~>|<=|<|!=|>=|>|=)?\s*v?(\d+)(?:\.(\d+))?/.exec(clause);
  if (!m) return false;
  const [op = '=', major, minor] = [m[1], Number(m[2]), m[3] === undefined ? undefined : Number(m[3])];
  // `~> 3` lets the major version grow; `~> 3.0` does not.
  if (op === '~>') return minor !== undefined && major < 4;
  if (op === '<') return major < 4 || (major === 4 && (minor ?? 0) === 0);
  return (op === '=' || op === '<=') && major < 4;
}

/** True when the module's `aws` provider constraint stays below v4, where the separate resources do not exist. */
function providerBelowV4(module: TfModule): boolean {
  return module.files.some((file) =>
    blocks(file.body, 'terraform')
      .flatMap((t) => blocks(t.body, 'required_providers'))
      .some((required) => {
        const aws = attrValue(module, required.body, 'aws');
        const version = aws && typeof aws === 'object' && !Array.isArray(aws) ? aws.version : undefined;
        return typeof version === 'string' && version.split(',').some(capsBelowV4);
      }),
  );
}

/** True when a bucket is written in the v3 inline style (or the provider cannot be v4+): a fix adds an inline block. */
export function usesInlineStyle(module: TfModule, body: HclBody): boolean {
  const dynamics = blocks(body, 'dynamic').map((d) => d.labels[0]);
  return (
    V3_ARGUMENTS.some((a) => body.items.some((i) => (i.kind === 'attribute' ? i.name : i.type) === a) || dynamics.includes(a)) ||
    providerBelowV4(module)
  );
}

/** A name for a new `type` resource next to `name` (`name`, then `name_<suffix>`), or undefined when both are taken. */
export function freeName(module: TfModule, type: string, name: string, suffix: string): string | undefined {
  return [name, `${name}_${suffix}`].find((n) => !module.resources.some((r) => r.mode === 'resource' && r.type === type && r.name === n));
}

/** True when a counted bucket (`count`, `for_each`) would need a counted sibling: not a guess cloudmend makes. */
export function isCounted(bucket: TfResource): boolean {
  return attribute(bucket.block.body, 'count') !== undefined || attribute(bucket.block.body, 'for_each') !== undefined;
}

/** `type` resources configuring `bucket`: by reference (`bound`), or naming the same bucket literally. */
export function bucketSettings(module: TfModule, bucket: TfResource, type: string): { resource: TfResource; bound: boolean }[] {
  const name = attrValue(module, bucket.block.body, 'bucket');
  return module.resources
    .filter((r) => r.type === type && r.mode === 'resource')
    .map((r) => ({ resource: r, bound: refersTo(attrExpr(r.block.body, 'bucket'), bucket.address) }))
    .filter(({ resource, bound }) => bound || (typeof name === 'string' && attrValue(module, resource.block.body, 'bucket') === name));
}
