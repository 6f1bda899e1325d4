/**
 * S3.2 / S3.3 in Terraform: the canned ACL and grants of `aws_s3_bucket` (provider v3 style),
 * `aws_s3_bucket_acl` and the `terraform-aws-modules/s3-bucket/aws` module, and the statements of
 * bucket policies (`aws_s3_bucket_policy`, the bucket's inline `policy`, the module's `policy`).
 */
import { attribute, blocks, type HclBody } from '../../iac/terraform/hcl-structure.js';
import { attrExpr, attrValue, refersTo, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { tfSetting, tfString } from '../helpers.js';
import { lenientResolver, tfPolicy } from '../policy-document.js';
import type { Violation } from '../types.js';
import { permissionAccess, publicGroup, publicStatements, PUBLIC_CANNED_ACLS } from './public.js';

type Found = Omit<Violation, 'resource' | 'kind'>;

/** The `aws_s3_bucket` a bucket-level resource names in its `bucket` argument, if it is in the module. */
function bucketOf(body: HclBody): string | undefined {
  const expr = attrExpr(body, 'bucket');
  return expr?.type === 'reference' ? /^(aws_s3_bucket\.[A-Za-z0-9_-]+)\./.exec(expr.path)?.[1] : undefined;
}

/**
 * Whether Block Public Access makes public ACLs or policies of `bucket` ineffective: the control
 * passes then, whatever the ACL or policy says (the bucket's block, or the account's).
 */
function blocked(module: TfModule, bucket: string | undefined): { acls: boolean; policies: boolean } {
  const blocks = module.resources.filter(
    (r) =>
      r.type === 'aws_s3_account_public_access_block' ||
      (r.type === 'aws_s3_bucket_public_access_block' && bucket !== undefined && refersTo(attrExpr(r.block.body, 'bucket'), bucket)),
  );
  return {
    acls: blocks.some((r) => tfSetting(module, r.block.body, 'ignore_public_acls') === 'on'),
    policies: blocks.some((r) => tfSetting(module, r.block.body, 'restrict_public_buckets') === 'on'),
  };
}

function cannedAcl(module: TfModule, body: HclBody): Found[] {
  const attr = attribute(body, 'acl');
  if (!attr) return [];
  const acl = tfString(module, body, 'acl');
  if (acl === undefined) return [{ messageId: 'aclUnknown', data: { expr: attr.expr }, offset: attr.span.start, fixable: false }];
  const canned = PUBLIC_CANNED_ACLS[acl];
  return canned ? [{ messageId: 'publicAcl', data: { acl, ...canned }, offset: attr.span.start, fixable: true }] : [];
}

function grant(uri: unknown, permissions: unknown, offset: number): Found[] {
  const grantee = publicGroup(typeof uri === 'string' ? uri : undefined);
  const list = (Array.isArray(permissions) ? permissions : [permissions]).filter((p): p is string => typeof p === 'string');
  const access = permissionAccess(list);
  return grantee && access ? [{ messageId: 'publicGrant', data: { grantee, access }, offset, fixable: false }] : [];
}

/** Grants to AllUsers / AuthenticatedUsers: inline `grant` blocks, `access_control_policy`, the module's `grant` list. */
function grants(module: TfModule, resource: TfResource): Found[] {
  const { body } = resource.block;
  if (resource.mode === 'module') {
    const list = attrValue(module, body, 'grant');
    const offset = attribute(body, 'grant')?.span.start ?? 0;
    return (Array.isArray(list) ? list : []).flatMap((g) =>
      g && typeof g === 'object' && !Array.isArray(g) ? grant(g.uri, g.permissions ?? g.permission, offset) : [],
    );
  }
  const inline = blocks(body, 'grant').map((g) => ({ body: g.body, grantee: g.body, permission: 'permissions', at: g.span.start }));
  const policy = blocks(body, 'access_control_policy')
    .flatMap((p) => blocks(p.body, 'grant'))
    .flatMap((g) =>
      blocks(g.body, 'grantee').map((grantee) => ({ body: g.body, grantee: grantee.body, permission: 'permission', at: g.span.start })),
    );
  return [...inline, ...policy].flatMap((g) => grant(attrValue(module, g.grantee, 'uri'), attrValue(module, g.body, g.permission), g.at));
}

/** Public statements of the policy in `policy`; for the module, only when it attaches it. */
function policies(module: TfModule, resource: TfResource): Found[] {
  const { body } = resource.block;
  const attr = attribute(body, 'policy');
  if (!attr || (resource.mode === 'module' && tfSetting(module, body, 'attach_policy') !== 'on')) return [];
  const policy = tfPolicy({ ...module, resolve: lenientResolver(module) }, body, 'policy');
  if (!policy || policy.form === 'unknown')
    return [{ messageId: 'policyUnknown', data: { expr: attr.expr.split('\n')[0] ?? '' }, offset: attr.span.start, fixable: false }];
  const offset = policy.form === 'data-source' ? policy.data.block.span.start : attr.span.start;
  return publicStatements(policy.document).map((s) => ({
    messageId: 'publicPolicy',
    data: { statement: s.label, access: s.access },
    offset,
    fixable: false,
  }));
}

/** Public ACLs, grants and policy statements of a bucket, bucket ACL, bucket policy or S3 module. */
export function detectTerraform(module: TfModule, resource: TfResource): Violation[] {
  const { body } = resource.block;
  const bucket = resource.type === 'aws_s3_bucket' ? resource.address : bucketOf(body);
  const block = resource.mode === 'module' ? { acls: false, policies: false } : blocked(module, bucket);
  const found = [
    ...(block.acls || resource.type === 'aws_s3_bucket_policy' ? [] : [...cannedAcl(module, body), ...grants(module, resource)]),
    ...(block.policies || resource.type === 'aws_s3_bucket_acl' ? [] : policies(module, resource)),
  ];
  return found.map((f) => ({ ...f, resource: resource.address, kind: 'violation' }));
}
