/**
 * IaC source as the skills see it: a Terraform module (the `.tf` files of one directory) or one
 * CloudFormation template, parsed with positions, plus which resources bind to which.
 */
import type { AllowedRange } from './edits.js';
import { parseTemplate, propertyAt, refersToResource, type CfnResource, type CfnTemplate } from './cloudformation/template.js';
import { readHclValue } from './terraform/hcl-expr.js';
import type { HclBody } from './terraform/hcl-structure.js';
import { readTerraformFile } from './terraform/agreement.js';
import { refersTo, tfModule, type TfModule, type TfResource } from './terraform/module.js';

export type IacKind = 'terraform' | 'cloudformation';

export type Source =
  | { readonly kind: 'terraform'; readonly module: TfModule }
  | { readonly kind: 'cloudformation'; readonly template: CfnTemplate };

export type SourceResource =
  | { readonly kind: 'terraform'; readonly resource: TfResource }
  | { readonly kind: 'cloudformation'; readonly resource: CfnResource };

export interface SourceFile {
  /** Repository-relative path with forward slashes. */
  readonly path: string;
  readonly text: string;
}

export async function parseSource(kind: IacKind, files: readonly SourceFile[]): Promise<Source> {
  if (kind === 'cloudformation') {
    const [file] = files;
    if (!file || files.length !== 1) throw new Error('a CloudFormation source is exactly one template');
    return { kind, template: parseTemplate(file.path, file.text) };
  }
  // Read by HashiCorp's parser too, and only where cloudmend's own reading (which edits splice into) agrees with it.
  return { kind, module: tfModule(await Promise.all(files.map((f) => readTerraformFile(f.path, f.text)))) };
}

export function resourcesOf(source: Source): SourceResource[] {
  return source.kind === 'terraform'
    ? source.module.resources.map((resource) => ({ kind: 'terraform', resource }))
    : source.template.resources.map((resource) => ({ kind: 'cloudformation', resource }));
}

export function addressOf(r: SourceResource): string {
  return r.kind === 'terraform' ? r.resource.address : r.resource.logicalId;
}

/** The type a rule's `resourceTypes` names it by: `aws_s3_bucket`, `module:<source>`, `AWS::S3::Bucket`. */
export function typeOf(r: SourceResource): string {
  if (r.kind === 'cloudformation') return r.resource.type;
  return r.resource.mode === 'module'
    ? `module:${r.resource.type}`
    : r.resource.mode === 'data'
      ? `data:${r.resource.type}`
      : r.resource.type;
}

/**
 * True when a Terraform body (nested blocks included) refers to `address`. Static references are
 * read exactly; inside expressions cloudmend cannot read (function calls, conditionals) a textual
 * `address.` or `address[` still counts.
 */
export function tfRefers(body: HclBody, address: string): boolean {
  const textual = new RegExp(`(^|[^\\w.-])${address.replace(/[.[\]]/g, '\\$&')}[.[]`);
  return body.items.some((item) =>
    item.kind === 'attribute' ? refersTo(readHclValue(item.expr), address) || textual.test(item.expr) : tfRefers(item.body, address),
  );
}

function cfnRefers(value: unknown, logicalId: string): boolean {
  if (refersToResource(value as never, logicalId)) return true;
  if (Array.isArray(value)) return value.some((v) => cfnRefers(v, logicalId));
  if (value && typeof value === 'object') return Object.values(value).some((v) => cfnRefers(v, logicalId));
  return false;
}

/**
 * The attribute (Terraform) or property (CloudFormation) that says which resource a sub-resource
 * belongs to: its identity. `aws_s3_bucket_*` companions name their bucket in `bucket`.
 */
const TF_OWNER: Readonly<Record<string, string>> = {
  aws_default_security_group: 'vpc_id',
  aws_security_group_rule: 'security_group_id',
  aws_vpc_security_group_ingress_rule: 'security_group_id',
  aws_vpc_security_group_egress_rule: 'security_group_id',
  aws_lambda_permission: 'function_name',
  aws_lambda_function_url: 'function_name',
  aws_rds_cluster_instance: 'cluster_identifier',
  aws_dynamodb_table_replica: 'global_table_arn',
  aws_iam_role_policy: 'role',
  aws_iam_role_policy_attachment: 'role',
  aws_kms_alias: 'target_key_id',
  aws_api_gateway_method_settings: 'stage_name',
};
const CFN_OWNER: Readonly<Record<string, string>> = {
  'AWS::S3::BucketPolicy': 'Bucket',
  'AWS::EC2::SecurityGroupIngress': 'GroupId',
  'AWS::EC2::SecurityGroupEgress': 'GroupId',
  'AWS::Lambda::Permission': 'FunctionName',
  'AWS::Lambda::Url': 'TargetFunctionArn',
  'AWS::RDS::DBInstance': 'DBClusterIdentifier',
  'AWS::IAM::Policy': 'Roles',
  'AWS::KMS::Alias': 'TargetKeyId',
};

/** True when `child`'s identity attribute names `parent`: `child` is one of `parent`'s own sub-resources. */
function owns(parent: SourceResource, child: SourceResource): boolean {
  const address = addressOf(parent);
  if (child.kind === 'cloudformation') {
    const key = CFN_OWNER[child.resource.type];
    return key !== undefined && cfnRefers(propertyAt(child.resource, ['Properties', key]), address);
  }
  const { type, mode } = child.resource;
  const key = mode === 'resource' ? (TF_OWNER[type] ?? (type.startsWith('aws_s3_bucket_') ? 'bucket' : undefined)) : undefined;
  return key !== undefined && takesFrom(child, key, parent);
}

/**
 * True when Terraform resource `from`'s attribute `name` refers to `to` (`policy = data.aws_iam_policy_document.x.json`);
 * `nested` also reads it in nested blocks (a role's `inline_policy { policy = ... }`).
 */
function takesFrom(from: SourceResource, name: string, to: SourceResource, nested = false): boolean {
  if (from.kind !== 'terraform') return false;
  const named = (body: HclBody): HclBody['items'] =>
    body.items.flatMap((i) => (i.kind === 'attribute' ? (i.name === name ? [i] : []) : nested ? named(i.body) : []));
  return tfRefers({ items: named(from.resource.block.body) }, addressOf(to));
}

/**
 * Resources bound to `target`: its own sub-resources (its public access block, its bucket policy),
 * the resource it is itself a sub-resource of (an Aurora instance's cluster), and the policy
 * documents it or its sub-resources take their `policy` from. A resource that only refers to it (a
 * bucket logging into it, another bucket's policy naming its ARN) is not bound.
 */
export function boundTo(source: Source, target: SourceResource): SourceResource[] {
  const address = addressOf(target);
  const others = resourcesOf(source).filter((r) => addressOf(r) !== address);
  const own = others.filter((r) => owns(target, r) || owns(r, target));
  const documents = others.filter(
    (d) => typeOf(d) === 'data:aws_iam_policy_document' && [target, ...own].some((r) => takesFrom(r, 'policy', d, true)),
  );
  return [...own, ...documents];
}

function spanOf(r: SourceResource): { file: string; start: number; end: number } {
  return r.kind === 'terraform'
    ? { file: r.resource.file.path, start: r.resource.block.span.start, end: r.resource.block.span.end }
    : { file: '', start: r.resource.span.start, end: r.resource.span.end };
}

/**
 * Where a fix of `target` may edit: the target itself, resources bound to it, and just after it
 * (to the end of its last line) for new sibling resources.
 */
export function allowedRanges(source: Source, target: SourceResource): AllowedRange[] {
  const file = (r: SourceResource): string =>
    r.kind === 'terraform' ? r.resource.file.path : source.kind === 'cloudformation' ? source.template.path : '';
  const text = target.kind === 'terraform' ? target.resource.file.text : source.kind === 'cloudformation' ? source.template.text : '';
  const own = spanOf(target);
  const nl = text.indexOf('\n', own.end);
  const ranges: AllowedRange[] = [
    { file: file(target), start: own.start, end: nl < 0 ? text.length : nl, why: `located resource ${addressOf(target)}` },
  ];
  for (const bound of boundTo(source, target)) {
    const s = spanOf(bound);
    ranges.push({ file: file(bound), start: s.start, end: s.end, why: `resource ${addressOf(bound)}, bound to it` });
  }
  return ranges;
}
