/**
 * `outside-contract`: what cloudmend's own patch (a skill's or a model's) may do, as an allow-list.
 * A fix for one finding may only:
 * - set arguments or properties of the located resource and of its own sub-resources (those whose
 *   identifying argument names it: a bucket's public access block or policy, a group's rules, a
 *   function's permissions; never a resource that merely refers to it);
 * - add resources of the types the control's contract names (`contracts.ts`), as sub-resources of
 *   the located resource, and the data sources that only say who and where the plan runs
 *   (`aws_caller_identity`, `aws_partition`, `aws_region`);
 * - write each new value as a literal or a reference to a resource of the module or template
 *   (`aws_s3_bucket.logs.arn`, `!Ref Bucket`, `!GetAtt Key.Arn`, pseudo parameters), through a
 *   short list of safe functions (`jsonencode`; `Fn::Sub` and `Fn::Join` over those references).
 * Everything else is refused with the reason: other resources, removed resources, meta-arguments
 * (`count`, `for_each`, `provider`, `lifecycle`, `depends_on`, provisioners) and resource
 * attributes (`Condition`, `DependsOn`, `DeletionPolicy`...), variables, locals, outputs, data
 * sources, modules, providers, backends, `moved`/`import`/`removed`/`check`/`ephemeral` blocks,
 * template `Parameters`, `Conditions`, `Mappings`, `Outputs`, `Transform` and `Fn::Transform`,
 * and any value computed from variables, parameters, conditions or other functions.
 */
import type { CfnValue } from '../iac/cloudformation/template.js';
import { metaText, type ExprNode } from '../iac/terraform/hashicorp.js';
import { keyOf } from '../iac/values.js';
import { newResourceTypes } from './contracts.js';
import { violation } from './facts.js';
import type { Resource, Side, WrittenAttribute } from './side.js';
import type { GuardrailViolation, PatchContract } from './types.js';

/** Arguments that say which resource a sub-resource belongs to, most specific first. */
const IDENTITY = [
  'bucket',
  'security_group_id',
  'role',
  'user',
  'group',
  'queue_url',
  'topic_arn',
  'arn',
  'function_name',
  'target_key_id',
  'key_id',
  'repository',
  'load_balancer_arn',
  'table_name',
  'db_instance_identifier',
  'cluster_identifier',
  // A REST API stage's method settings belong to the stage they name, not to the whole API.
  'stage_name',
  'rest_api_id',
  'secret_id',
  'file_system_id',
  'cluster_name',
  'domain_name',
  'vault_name',
  'stream_name',
  'log_group_name',
  'api_id',
  'distribution_id',
  'instance_id',
  'vpc_id',
  'subnet_id',
  'trail_name',
  'Bucket',
  'GroupId',
  'RoleName',
  'Roles',
  'Users',
  'Groups',
  'UserName',
  'FunctionName',
  'TargetFunctionArn',
  'TargetKeyId',
  'KeyId',
  'Queues',
  'Topics',
  'TopicArn',
  'LoadBalancerArn',
  'TableName',
  'DBInstanceIdentifier',
  'DBClusterIdentifier',
  'RestApiId',
  'SecretId',
  'FileSystemId',
  'ClusterName',
  'DomainName',
  'LogGroupName',
  'ApiId',
  'DistributionId',
  'InstanceId',
  'VpcId',
  'SubnetId',
];
/** A target's own name, which a sub-resource may give instead of a reference. */
const OWN_NAME =
  /^(bucket|name|function_name|identifier|cluster_identifier|table_name|BucketName|FunctionName|TableName|DBInstanceIdentifier|DBClusterIdentifier)$/;

/** Data sources that read only who and where the plan runs: the account id, partition, region. */
const CALLER_DATA = new Set(['aws_caller_identity', 'aws_partition', 'aws_region']);
/** Functions a fix may call: they only shape literals and references. */
const SAFE_FUNCTIONS = new Set(['jsonencode']);
const PSEUDO = /^AWS::(AccountId|Partition|Region|URLSuffix|StackName|NoValue)$/;
const TF_META_BLOCKS = new Set(['lifecycle', 'provisioner', 'connection', 'dynamic']);

interface Context {
  readonly targets: readonly Resource[];
  /** Resources a value may refer to: those that were there, and the sub-resources the patch may add. */
  readonly referable: ReadonlySet<string>;
}

/** What a value may also hold: expressions the same attribute held before (not the patch's), `count.index` / `each` in a counted sub-resource. */
interface Allowance {
  readonly carried: ReadonlySet<string>;
  readonly instances: boolean;
}

const NONE: Allowance = { carried: new Set(), instances: false };

/** The source of every expression node of a tree, for what a changed attribute carries over. */
function sources(node: ExprNode, into = new Set<string>()): Set<string> {
  if (node.meta.value !== undefined && node.type !== 'literalValue' && node.type !== 'template') into.add(node.meta.value);
  for (const c of node.children) sources(c, into);
  return into;
}

function identityOf(r: Resource): string | undefined {
  return IDENTITY.find((n) => Object.hasOwn(r.props, n));
}

/** True when `r` belongs to `target`: its identifying argument refers to it, or gives its name. */
function subResourceOf(r: Resource, target: Resource): boolean {
  const name = identityOf(r);
  if (name === undefined || r.key === target.key) return false;
  if (r.written.kind === 'terraform') {
    const written = r.written.attributes.find((a) => a.path.length === 1 && a.path[0] === name)?.text ?? '';
    if (new RegExp(`(^|[^\\w.-])${target.id.replace(/[.[\]]/g, '\\$&')}([.[]|$)`).test(written)) return true;
  } else {
    const raw = (r.written.entry.Properties as Record<string, CfnValue> | undefined)?.[name];
    if (refersTo(raw, target.id)) return true;
  }
  const value = r.props[name];
  return typeof value === 'string' && Object.entries(target.props).some(([k, v]) => OWN_NAME.test(k) && v === value);
}

function refersTo(value: CfnValue | undefined, id: string): boolean {
  if (value === null || value === undefined || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => refersTo(v, id));
  if (value.Ref === id) return true;
  const getAtt = value['Fn::GetAtt'];
  if ((Array.isArray(getAtt) && getAtt[0] === id) || (typeof getAtt === 'string' && getAtt.split('.')[0] === id)) return true;
  const sub = value['Fn::Sub'];
  return typeof sub === 'string' && new RegExp(`\\$\\{${id}(\\.[\\w.]+)?\\}`).test(sub);
}

/** Why a Terraform expression is not a literal or a reference to a referable resource; undefined when it is. */
function tfValue(node: ExprNode, ctx: Context, dir: string, allow: Allowance): string | undefined {
  if (node.meta.value !== undefined && allow.carried.has(node.meta.value)) return undefined;
  const check = (c: ExprNode): string | undefined => tfValue(c, ctx, dir, allow);
  const kids = (): string | undefined => node.children.map(check).find((w) => w !== undefined);
  switch (node.type) {
    case 'literalValue':
      return undefined;
    case 'template':
    case 'templateWrap':
    case 'tuple':
      return kids();
    case 'object':
      // Keys are bare names or quoted text; a computed key is a value of its own.
      return node.children
        .flatMap((c, i) => (i % 2 === 0 ? c.children : [c]))
        .map(check)
        .find((w) => w !== undefined);
    case 'unaryOp':
      return node.meta.operator === 'negate' && node.children[0]?.type === 'literalValue'
        ? undefined
        : `the operator in ${node.meta.value ?? ''}`;
    case 'function':
      return SAFE_FUNCTIONS.has(metaText(node, 'name')) ? kids() : `the function ${metaText(node, 'name')}()`;
    case 'splat':
    case 'relativeTraversal':
    case 'index':
      return kids();
    case 'scopeTraversal': {
      const full = metaText(node, 'fullAccessor') || (node.meta.value ?? '');
      // A sub-resource counted like its resource picks the matching instance.
      if (allow.instances && /^(count\.index|each\.(key|value))$/.test(full)) return undefined;
      const m = /^(data\.)?([A-Za-z][\w-]*)\.([\w-]+)/.exec(full);
      if (!m || /^(var|local|each|count|self|path|terraform|module|ephemeral)$/.test(m[2] ?? '')) return `the reference ${full}`;
      const address = `${m[1] ?? ''}${m[2]}.${m[3]}`;
      return ctx.referable.has(`${dir}${address}`) ? undefined : `the reference ${full}, to nothing the module had`;
    }
    default:
      return `the expression ${node.meta.value ?? node.type}`;
  }
}

/** Why a CloudFormation value is not a literal or a reference to a referable resource; undefined when it is. */
function cfnValue(value: CfnValue | undefined, ctx: Context, file: string): string | undefined {
  if (value === null || value === undefined || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return value.map((v) => cfnValue(v, ctx, file)).find((w) => w !== undefined);
  const keys = Object.keys(value);
  const [name] = keys;
  if (keys.length !== 1 || name === undefined || !(name === 'Ref' || name === 'Condition' || name.startsWith('Fn::'))) {
    return Object.values(value)
      .map((v) => cfnValue(v, ctx, file))
      .find((w) => w !== undefined);
  }
  const arg = value[name];
  const resource = (id: string): boolean => ctx.referable.has(`${file}#${id}`);
  switch (name) {
    case 'Ref':
      return typeof arg === 'string' && (PSEUDO.test(arg) || resource(arg))
        ? undefined
        : `Ref ${JSON.stringify(arg)}, which is not a resource of the template`;
    case 'Fn::GetAtt': {
      const id = Array.isArray(arg) ? arg[0] : typeof arg === 'string' ? arg.split('.')[0] : undefined;
      return typeof id === 'string' && resource(id) ? undefined : `Fn::GetAtt ${JSON.stringify(arg)}`;
    }
    case 'Fn::Sub': {
      if (typeof arg !== 'string') return 'Fn::Sub with its own variables';
      const bad = [...arg.matchAll(/\$\{([^}!][^}]*)\}/g)]
        .map((m) => m[1] ?? '')
        .find((n) => !PSEUDO.test(n) && !resource(n.split('.')[0] ?? ''));
      return bad === undefined ? undefined : `Fn::Sub of \${${bad}}, which is not a resource of the template`;
    }
    case 'Fn::Join':
      return Array.isArray(arg) && typeof arg[0] === 'string' ? cfnValue(arg[1], ctx, file) : 'Fn::Join with a computed separator';
    default:
      return `${name}, which a fix does not need`;
  }
}

function writtenChanges(b: Resource | undefined, a: Resource): { now: WrittenAttribute; was: WrittenAttribute | undefined }[] {
  if (a.written.kind !== 'terraform') return [];
  const old = b?.written.kind === 'terraform' ? b.written.attributes : [];
  const key = (x: WrittenAttribute): string => `${x.path.join('.')}\u0000${x.text}`;
  const same = new Set(old.map(key));
  return a.written.attributes
    .filter((x) => !same.has(key(x)))
    .map((now) => ({ now, was: old.find((o) => o.path.join('.') === now.path.join('.')) }));
}

/** The parts of a CloudFormation value that differ from what was there, each checked on its own. */
function cfnChanges(now: CfnValue | undefined, was: CfnValue | undefined, ctx: Context, file: string): string[] {
  if (JSON.stringify(now) === JSON.stringify(was)) return [];
  const plain = (v: CfnValue | undefined): v is Record<string, CfnValue> =>
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !Object.keys(v).some((k) => k === 'Ref' || k === 'Condition' || k.startsWith('Fn::'));
  if (plain(now) && plain(was)) return Object.entries(now).flatMap(([k, v]) => cfnChanges(v, was[k], ctx, file));
  if (Array.isArray(now) && Array.isArray(was) && now.length >= was.length) return now.flatMap((v, i) => cfnChanges(v, was[i], ctx, file));
  const why = cfnValue(now, ctx, file);
  return why === undefined ? [] : [why];
}

/** Where a changed resource goes beyond setting its arguments: meta-arguments, resource attributes, values. */
function edits(b: Resource | undefined, a: Resource, ctx: Context): string[] {
  const out: string[] = [];
  if (a.written.kind === 'terraform') {
    const dir = a.key.includes('//') ? a.key.slice(0, a.key.lastIndexOf('//') + 2) : '';
    const counted = (r: Resource | undefined): string[] =>
      r?.written.kind === 'terraform'
        ? r.written.attributes
            .filter((x) => x.path.length === 1 && /^(count|for_each)$/.test(x.path[0] ?? ''))
            .map((x) => `${x.path[0]} = ${x.text}`)
        : [];
    // A new sub-resource may be counted like its resource (the same count or for_each, `length(<it>)`
    // or `for_each = <it>`), and pick the matching instance.
    const like = (t: Resource): string[] => [...counted(t), `count = length(${t.id})`, `for_each = ${t.id}`];
    const own = counted(a);
    const mirrors = !b && own.length === 1 && ctx.targets.some((t) => counted(t).length === 1 && like(t).includes(own[0] ?? ''));
    for (const { now: x, was } of writtenChanges(b, a)) {
      const meta = x.path.some((p) => TF_META_BLOCKS.has(p)) || ['count', 'for_each', 'provider', 'depends_on'].includes(x.path[0] ?? '');
      if (meta && !(mirrors && x.path.length === 1)) out.push(`${x.path.join('.')} is a meta-argument, which a fix leaves as it is`);
      else if (!meta) {
        const why = tfValue(x.tree, ctx, dir, { carried: was ? sources(was.tree) : NONE.carried, instances: mirrors });
        if (why !== undefined)
          out.push(`${x.path.join('.')} is set with ${why}: a fix writes literals and references to the module's resources`);
      }
    }
    const metaBlocks = (r: Resource | undefined): string =>
      JSON.stringify(
        (r?.blocks ?? [])
          .filter((x) => TF_META_BLOCKS.has(x.type))
          .map((x) => x.text)
          .sort(),
      );
    if (b && metaBlocks(b) !== metaBlocks(a)) out.push('its lifecycle, provisioner, connection or dynamic blocks change');
    if (b && keyOf(b.meta.count ?? null) + keyOf(b.meta.for_each ?? null) !== keyOf(a.meta.count ?? null) + keyOf(a.meta.for_each ?? null))
      out.push('how many instances it has changes');
    return out;
  }
  const entry = a.written.entry;
  const was = b?.written.kind === 'cloudformation' ? b.written.entry : undefined;
  for (const key of new Set([...Object.keys(entry), ...Object.keys(was ?? {})])) {
    if (key === 'Properties' || !b) continue;
    if (JSON.stringify(entry[key] ?? null) !== JSON.stringify(was?.[key] ?? null))
      out.push(`its ${key} changes, which a fix leaves as it is`);
  }
  const props = (entry.Properties ?? {}) as Record<string, CfnValue>;
  const old = (was?.Properties ?? {}) as Record<string, CfnValue>;
  for (const [k, v] of Object.entries(props)) {
    for (const why of cfnChanges(v, old[k], ctx, a.file))
      out.push(`${k} is set with ${why}: a fix writes literals and references to the template's resources`);
  }
  return out;
}

/** True when text (a Terraform resource's written attributes) refers to `address`. */
function mentions(r: Resource, address: string): boolean {
  const pattern = new RegExp(`(^|[^\\w.-])${address.replace(/[.[\]]/g, '\\$&')}([.[]|$)`);
  return r.written.kind === 'terraform' && r.written.attributes.some((a) => pattern.test(a.text));
}

/**
 * A policy document data source that only the located resource and its sub-resources use is
 * their policy: editing it is setting their policy. One that anything else uses is not theirs.
 */
function ownedDocument(r: Resource, after: Side, targets: readonly Resource[]): boolean {
  if (r.mode !== 'data' || r.type !== 'aws_iam_policy_document') return false;
  const users = after.resources.filter((x) => x.key !== r.key && mentions(x, r.id));
  return users.length > 0 && users.every((u) => targets.some((t) => t.key === u.key || subResourceOf(u, t)));
}

/** The ways the patch goes beyond its contract. */
export function contractViolations(before: Side, after: Side, contract: PatchContract): GuardrailViolation[] {
  const out: GuardrailViolation[] = [];
  const addresses = [contract.address, ...(contract.alsoAddresses ?? [])];
  const targets = after.resources.filter((r) => addresses.includes(r.id));
  const was = new Map(before.resources.map((r) => [r.key, r]));
  const allowedTypes = new Set([contract.controlId, ...(contract.alsoControlIds ?? [])].flatMap((c) => [...newResourceTypes(c)]));
  const describe = contract.controlId ? `a fix for ${contract.controlId} on ${contract.address}` : `a fix on ${contract.address}`;
  const added = after.resources.filter((r) => !was.has(r.key));
  const welcome = (r: Resource): boolean =>
    (r.mode === 'data' && CALLER_DATA.has(r.type)) ||
    (r.mode === 'resource' &&
      allowedTypes.has(r.type) &&
      (targets.some((t) => subResourceOf(r, t)) || allowedTypes.has(`${r.type} (standalone)`)));
  const referable = new Set([...before.resources.map((r) => r.key), ...added.filter(welcome).map((r) => r.key)]);
  const ctx: Context = { targets, referable };
  if (targets.length === 0)
    out.push(
      violation(
        'outside-contract',
        after.resources[0]?.file ?? '',
        `the located resource ${contract.address} is not in the code after the patch`,
      ),
    );
  for (const a of after.resources) {
    const b = was.get(a.key);
    if (b && b.text === a.text) continue;
    if (!b && !welcome(a)) {
      const what = a.mode === 'resource' ? `a new ${a.type}` : `a new ${a.mode} (${a.type})`;
      const why =
        a.mode === 'resource' && allowedTypes.has(a.type)
          ? `, not one of ${contract.address}'s own sub-resources`
          : allowedTypes.size > 0 && a.mode === 'resource'
            ? ` (it may add ${[...allowedTypes].filter((t) => !t.endsWith('(standalone)')).join(', ')})`
            : '';
      out.push(violation('outside-contract', a.file, `${a.id} is ${what}, which ${describe} may not add${why}`, a.line));
      continue;
    }
    if (
      b &&
      !targets.some((t) => t.key === a.key) &&
      !targets.some((t) => subResourceOf(a, t) && subResourceOf(b, t)) &&
      !ownedDocument(a, after, targets)
    ) {
      out.push(
        violation(
          'outside-contract',
          a.file,
          `${a.id} changes, but ${describe} may only change ${contract.address} and its own sub-resources`,
          a.line,
        ),
      );
      continue;
    }
    for (const why of edits(b, a, ctx)) out.push(violation('outside-contract', a.file, `${a.id}: ${why}`, a.line));
  }
  const now = new Map(after.resources.map((r) => [r.key, r]));
  for (const b of before.resources)
    if (!now.has(b.key)) out.push(violation('outside-contract', b.file, `${b.id} is removed, which ${describe} never does`, b.line));
  const settings = (side: Side): Map<string, string> => new Map(side.settings.map((s) => [`${s.key}\u0000${s.text}`, s.key]));
  const [oldSettings, newSettings] = [settings(before), settings(after)];
  for (const s of after.settings) {
    if (oldSettings.has(`${s.key}\u0000${s.text}`)) continue;
    const what = [...oldSettings.values()].includes(s.key) ? 'changes' : 'adds';
    out.push(
      violation(
        'outside-contract',
        s.file,
        `the patch ${what} ${s.key.replace(/^.*\/\//, '')} (${s.kind}), which ${describe} leaves as it is`,
        s.line,
      ),
    );
  }
  for (const s of before.settings) {
    if (!newSettings.has(`${s.key}\u0000${s.text}`) && !after.settings.some((x) => x.key === s.key))
      out.push(
        violation(
          'outside-contract',
          s.file,
          `the patch removes ${s.key.replace(/^.*\/\//, '')} (${s.kind}), which ${describe} leaves as it is`,
          s.line,
        ),
      );
  }
  return out;
}
