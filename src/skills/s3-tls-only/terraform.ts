/**
 * S3.5 in Terraform: the bucket's policy (a bound `aws_s3_bucket_policy`, or the bucket's inline
 * `policy`) must deny plain-HTTP requests. A bucket without a policy gets one; a policy written as
 * `jsonencode`, a JSON heredoc or a bound `aws_iam_policy_document` gets the statement added.
 */
import { tfRefers } from '../../iac/source.js';
import type { TextEdit } from '../../iac/edits.js';
import { appendToBody, insertAfter, setAttribute } from '../../iac/terraform/edit.js';
import { staticValue } from '../../iac/terraform/hcl-expr.js';
import { attribute, blocks } from '../../iac/terraform/hcl-structure.js';
import { attrExpr, attrValue, refersTo, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { HclRaw, renderBlock, renderHcl } from '../../iac/terraform/render.js';
import { tfSetting, type Remedy } from '../helpers.js';
import { lenientResolver, tfPolicy, type TfPolicy } from '../policy-document.js';
import type { Violation } from '../types.js';
import { bucketArn, denyStatement, freeSid, tlsState, type BucketArn } from './match.js';
import { appendStatement } from './splice.js';

const POLICY = 'aws_s3_bucket_policy';
const MERGING = ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json'];

/** The policy in `holder.policy`, read with the bucket's own references valued. */
function readPolicy(
  module: TfModule,
  holder: TfResource,
  bucket: string,
  arn: BucketArn,
): { state: 'compliant' | 'missing' | 'unknown'; policy?: TfPolicy } {
  const known = (path: string): string | undefined =>
    path === `${bucket}.arn`
      ? arn.arn
      : path === `${bucket}.id` || path === `${bucket}.bucket`
        ? arn.name
        : /^data\.aws_partition\.[\w-]+\.partition$/.test(path)
          ? 'aws'
          : undefined;
  const policy = tfPolicy({ ...module, resolve: lenientResolver(module, known) }, holder.block.body, 'policy');
  if (!policy || policy.form === 'unknown') return { state: 'unknown' };
  const state = tlsState(policy.document, arn);
  // Documents merged in from elsewhere, or dynamic statements, may hold the deny.
  const partial =
    policy.form === 'data-source' &&
    (MERGING.some((a) => attribute(policy.data.block.body, a)) || blocks(policy.data.block.body, 'dynamic').length > 0);
  return { state: partial && state === 'missing' ? 'unknown' : state, policy };
}

type Binding = 'bound' | 'by-name' | 'other' | 'maybe';

/** How an `aws_s3_bucket_policy` relates to the bucket: by reference, by literal name, clearly not, or cannot tell. */
function binding(module: TfModule, policy: TfResource, bucket: string, arn: BucketArn): Binding {
  const expr = attrExpr(policy.block.body, 'bucket');
  if (refersTo(expr, bucket)) return 'bound';
  const value = expr ? staticValue(expr, module.resolve) : undefined;
  if (typeof value === 'string') return arn.nameKnown ? (value === arn.name ? 'by-name' : 'other') : 'maybe';
  return expr?.type === 'reference' && /^aws_s3_bucket\./.test(expr.path) ? 'other' : 'maybe';
}

/** The statement's ARNs: references for a separate policy; from the name for an inline one (a bucket cannot refer to itself). */
function arns(module: TfModule, bucket: TfResource, inline: boolean): { json: [string, string]; hcl: [HclRaw, HclRaw] } | undefined {
  let arn = `\${${bucket.address}.arn}`;
  if (inline) {
    const expr = attrExpr(bucket.block.body, 'bucket');
    const name = attrValue(module, bucket.block.body, 'bucket');
    if (expr?.type === 'literal' && typeof name === 'string') arn = `arn:aws:s3:::${name}`;
    else if (expr?.type === 'reference' && /^(var|local)\./.test(expr.path)) arn = `arn:aws:s3:::\${${expr.path}}`;
    else return undefined;
  }
  const hcl: [HclRaw, HclRaw] = [new HclRaw(inline ? `"${arn}"` : `${bucket.address}.arn`), new HclRaw(`"${arn}/*"`)];
  return { json: [arn, `${arn}/*`], hcl };
}

/** Edits adding the statement to the one policy of the bucket, when it is written in a form cloudmend can extend. */
function extend(module: TfModule, bucket: TfResource, holder: TfResource, policy: TfPolicy | undefined): TextEdit[] | undefined {
  const inline = holder === bucket;
  if (!policy || policy.form === 'unknown') return undefined;
  const sid = freeSid(policy.document);
  if (policy.form === 'data-source') {
    // The data source must name the bucket (so the engine lets the fix touch it), and an inline policy cannot.
    if (inline || !tfRefers(policy.data.block.body, bucket.address)) return undefined;
    const principals = renderBlock('principals', [], { type: '*', identifiers: ['*'] });
    const condition = renderBlock('condition', [], { test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] });
    const resources = [new HclRaw(`${bucket.address}.arn`), new HclRaw(`"\${${bucket.address}.arn}/*"`)];
    const statement = renderBlock('statement', [], { sid, effect: 'Deny', actions: ['s3:*'], resources }, [principals, '', condition]);
    return [appendToBody(policy.data.file, policy.data.block, ['', statement])];
  }
  const attr = attribute(holder.block.body, 'policy');
  const values = arns(module, bucket, inline);
  if (!attr || !values) return undefined;
  return appendStatement(holder.file, attr, { json: denyStatement(sid, ...values.json), hcl: denyStatement(sid, ...values.hcl) });
}

function newPolicy(module: TfModule, bucket: TfResource): TextEdit | undefined {
  const name = [bucket.name, `${bucket.name}_tls`].find(
    (n) => !module.resources.some((r) => r.mode === 'resource' && r.type === POLICY && r.name === n),
  );
  if (name === undefined) return undefined;
  const statement = denyStatement(
    'DenyInsecureTransport',
    new HclRaw(`${bucket.address}.arn`),
    new HclRaw(`"\${${bucket.address}.arn}/*"`),
  );
  const policy = renderHcl({ Version: '2012-10-17', Statement: [statement] }, '  ');
  return insertAfter(
    bucket.file,
    bucket.block,
    `resource "${POLICY}" "${name}" {\n  bucket = ${bucket.address}.id\n  policy = jsonencode(${policy})\n}`,
  );
}

/** TLS findings for one `aws_s3_bucket`. */
export function bucketFindings(module: TfModule, bucket: TfResource): Remedy[] {
  const { body } = bucket.block;
  const arn = bucketArn(attrValue(module, body, 'bucket'));
  // A counted bucket needs counted references: not a guess cloudmend makes.
  const counted = attribute(body, 'count') !== undefined || attribute(body, 'for_each') !== undefined;
  const policies = module.resources
    .filter((r) => r.mode === 'resource' && r.type === POLICY)
    .map((p) => ({ holder: p, binding: binding(module, p, bucket.address, arn) }));
  const holders = [
    ...policies.filter((p) => p.binding === 'bound' || p.binding === 'by-name'),
    ...(attribute(body, 'policy') ? [{ holder: bucket, binding: 'bound' as Binding }] : []),
  ];
  const read = holders.map((h) => ({ ...h, ...readPolicy(module, h.holder, bucket.address, arn) }));
  if (read.some((r) => r.state === 'compliant')) return [];
  const at = bucket.block.span.start;
  const violation = (messageId: string, fixable: boolean, data: Record<string, string> = {}): Violation => ({
    messageId,
    data: { bucket: bucket.name, ...data },
    resource: bucket.address,
    offset: at,
    fixable,
    kind: 'violation',
  });
  const [only, ...more] = read;
  if (!only) {
    const maybe = policies.find((p) => p.binding === 'maybe');
    if (maybe) return [{ violation: violation('policyUnclear', false, { policy: maybe.holder.address }) }];
    const edit = counted ? undefined : newPolicy(module, bucket);
    if (!edit) return [{ violation: violation('noPolicy', false) }];
    return [
      {
        violation: violation('noPolicy', true),
        edits: [edit],
        note: `Added a bucket policy to ${bucket.address} that denies requests not sent over HTTPS.`,
      },
    ];
  }
  if (more.length > 0)
    return [{ violation: violation('severalPolicies', false, { policy: read.map((r) => r.holder.address).join(', ') }) }];
  const policy = only.holder === bucket ? `the inline policy of ${bucket.address}` : only.holder.address;
  if (only.state === 'unknown') return [{ violation: violation('policyUnknown', false, { policy }) }];
  const edits = counted || only.binding !== 'bound' ? undefined : extend(module, bucket, only.holder, only.policy);
  if (!edits) return [{ violation: violation('missingDeny', false, { policy }) }];
  return [
    {
      violation: violation('missingDeny', true, { policy }),
      edits,
      note: `Added a statement denying requests not sent over HTTPS to ${policy}.`,
    },
  ];
}

const FLAG = 'attach_deny_insecure_transport_policy';

/** TLS findings for the `terraform-aws-modules/s3-bucket/aws` module: its own switch for the deny statement. */
export function moduleFindings(module: TfModule, resource: TfResource): Remedy[] {
  const { body } = resource.block;
  const flag = tfSetting(module, body, FLAG);
  if (flag === 'on') return [];
  // The module attaches `policy` only with attach_policy = true.
  if (
    tfSetting(module, body, 'attach_policy') === 'on' &&
    readPolicy(module, resource, resource.address, bucketArn(attrValue(module, body, 'bucket'))).state === 'compliant'
  )
    return [];
  const attr = attribute(body, FLAG);
  const base = { resource: resource.address, offset: attr?.span.start ?? resource.block.span.start, kind: 'violation' } as const;
  if (flag === 'unknown') return [{ violation: { ...base, messageId: 'flagUnknown', data: { expr: attr?.expr ?? '' }, fixable: false } }];
  const violation: Violation = { ...base, messageId: 'moduleFlag', data: { bucket: resource.name }, fixable: true };
  // terraform fmt aligns a heredoc attribute with the next line; a blank line keeps the new one apart.
  const last = body.items[body.items.length - 1];
  const afterHeredoc = !attr && last?.kind === 'attribute' && last.expr.startsWith('<<');
  const edit = afterHeredoc
    ? appendToBody(resource.file, resource.block, ['', `${FLAG} = true`])
    : setAttribute(resource.file, resource.block, FLAG, 'true');
  return [{ violation, edits: [edit], note: `Set ${FLAG} = true on ${resource.address}.` }];
}
