/** Reading default security groups: their rule items, the VPC each belongs to, and the one to add. */
import { readHclValue } from '../../iac/terraform/hcl-expr.js';
import { attribute, type HclAttribute, type HclBlock } from '../../iac/terraform/hcl-structure.js';
import { attrExpr, refersTo, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { HclRaw, type Renderable } from '../../iac/terraform/render.js';

export const DIRECTIONS = ['ingress', 'egress'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** An `ingress`/`egress` block, `dynamic` block or `ingress = [...]` argument of a default security group. */
export interface RuleItem {
  readonly direction: Direction;
  readonly node: HclBlock | HclAttribute;
  /** `empty`: `= []`. `rules`: defines rules. `unknown`: an expression cloudmend cannot evaluate. */
  readonly state: 'empty' | 'rules' | 'unknown';
  /** For messages and notes: the rule's settings, or the expression. */
  readonly text: string;
}

const SUMMARY = ['protocol', 'from_port', 'to_port', 'self', 'cidr_blocks', 'ipv6_cidr_blocks', 'security_groups', 'prefix_list_ids'];

/** `protocol = -1, from_port = 0, to_port = 0, self = true`: a rule block's settings on one line. */
function summary(block: HclBlock): string {
  const parts = SUMMARY.flatMap((name) => {
    const attr = attribute(block.body, name);
    return attr ? [`${name} = ${attr.expr.replace(/\s+/g, ' ')}`] : [];
  });
  return parts.length > 0 ? parts.join(', ') : `an empty ${block.type} block`;
}

function isDirection(name: string | undefined): name is Direction {
  return name === 'ingress' || name === 'egress';
}

/** Every rule item of a default security group, in source order. */
export function rulesOf(group: HclBlock): RuleItem[] {
  return group.body.items.flatMap((item): RuleItem[] => {
    if (item.kind === 'attribute') {
      if (!isDirection(item.name)) return [];
      const value = readHclValue(item.expr);
      if (value.type !== 'tuple') return [{ direction: item.name, node: item, state: 'unknown', text: item.expr }];
      const n = value.items.length;
      return [
        {
          direction: item.name,
          node: item,
          state: n === 0 ? 'empty' : 'rules',
          text: `${n} rule${n === 1 ? '' : 's'} in ${item.name} = [...]`,
        },
      ];
    }
    if (isDirection(item.type)) return [{ direction: item.type, node: item, state: 'rules', text: summary(item) }];
    const label = item.labels[0];
    if (item.type === 'dynamic' && isDirection(label)) {
      const forEach = attribute(item.body, 'for_each')?.expr ?? '?';
      return [{ direction: label, node: item, state: 'rules', text: `dynamic "${label}" over ${forEach}` }];
    }
    return [];
  });
}

/**
 * Whether an `aws_default_security_group` of the module belongs to `vpc`, and which ones take
 * their VPC from expressions cloudmend cannot tie to a resource (they might be this VPC's).
 */
export function defaultGroupFor(module: TfModule, vpc: TfResource): { bound: boolean; unclear: string[] } {
  const vpcs = module.resources.filter((r) => r.type === 'aws_vpc' && r.mode === 'resource');
  const groups = module.resources.filter((r) => r.type === 'aws_default_security_group' && r.mode === 'resource');
  const refs = (g: TfResource) => [attrExpr(g.block.body, 'vpc_id'), attrExpr(g.block.body, 'for_each')];
  if (groups.some((g) => refs(g).some((e) => refersTo(e, vpc.address)))) return { bound: true, unclear: [] };
  const unclear = groups.filter((g) => {
    const vpcId = attrExpr(g.block.body, 'vpc_id');
    // No vpc_id: the default VPC's group. A literal id or another aws_vpc: some other VPC.
    if (!vpcId || vpcId.type === 'literal') return false;
    return !vpcs.some((v) => refs(g).some((e) => refersTo(e, v.address)));
  });
  return { bound: false, unclear: unclear.map((g) => g.address) };
}

/**
 * The `aws_default_security_group` to add for `vpc`: named after it, following its `count` or
 * `for_each`, with empty rule lists. Undefined when both candidate names are taken.
 */
export function newDefaultGroup(module: TfModule, vpc: TfResource): { name: string; attributes: Record<string, Renderable> } | undefined {
  const taken = new Set(module.resources.filter((r) => r.type === 'aws_default_security_group').map((r) => r.name));
  const name = [vpc.name, `${vpc.name}_default`].find((n) => !taken.has(n));
  if (name === undefined) return undefined;
  const body = vpc.block.body;
  const rules = { ingress: [], egress: [] };
  if (attribute(body, 'count'))
    return {
      name,
      attributes: { count: new HclRaw(`length(${vpc.address})`), vpc_id: new HclRaw(`${vpc.address}[count.index].id`), ...rules },
    };
  if (attribute(body, 'for_each'))
    return { name, attributes: { for_each: new HclRaw(vpc.address), vpc_id: new HclRaw('each.value.id'), ...rules } };
  return { name, attributes: { vpc_id: new HclRaw(`${vpc.address}.id`), ...rules } };
}
