/**
 * Ingress open to the whole internet (any CIDR with a /0 prefix, or one so wide that a few rules
 * cover the internet), read from every place a
 * security group rule can be written: inline `ingress` blocks (dynamic ones and the `ingress = [...]`
 * argument too), `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`, CloudFormation
 * `SecurityGroupIngress` items and `AWS::EC2::SecurityGroupIngress`. Rules are attributed to their
 * group, so a rule moved from inline to standalone form opens nothing new. Protocols or ports that
 * cannot be evaluated count as all traffic: the worst case is what the patch must be judged by.
 */
import { propertyAt, valueOf, type CfnValue } from '../iac/cloudformation/template.js';
import { readHclValue, staticValue, type HclValue } from '../iac/terraform/hcl-expr.js';
import { attribute, blocks, type HclBody } from '../iac/terraform/hcl-structure.js';
import { attrExpr, attrValue, type TfModule, type TfResource } from '../iac/terraform/module.js';
import { listItems } from '../skills/ec2-open-ingress/hcl-list.js';
import { openFamily, portOf, protocolOf, type Family } from '../skills/ec2-open-ingress/ports.js';
import { lenientResolver, OPAQUE } from '../skills/policy-document.js';
import { squash } from './facts.js';
import { cfnHolder, tfHolder, type Holder, type Side } from './side.js';

export interface OpenIngress {
  /** The security group the rule belongs to, in the file the rule is written in. */
  readonly holder: Holder;
  readonly cidr: string;
  readonly family: Family;
  /** `all`, `tcp`, `udp`, or another protocol as written (`icmp`). */
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
}

interface Names {
  readonly protocol: string;
  readonly from: string;
  readonly to: string;
  readonly sources: readonly string[];
}

const TF_LIST: Names = { protocol: 'protocol', from: 'from_port', to: 'to_port', sources: ['cidr_blocks', 'ipv6_cidr_blocks'] };
const TF_VPC: Names = { protocol: 'ip_protocol', from: 'from_port', to: 'to_port', sources: ['cidr_ipv4', 'cidr_ipv6'] };
const CFN: Names = { protocol: 'IpProtocol', from: 'FromPort', to: 'ToPort', sources: ['CidrIp', 'CidrIpv6'] };

const ALL = { protocol: 'all', from: 0, to: 65535 };

function portSpan(protocol: unknown, from: unknown, to: unknown): { protocol: string; from: number; to: number } {
  const p = protocolOf(protocol);
  if (p === undefined || p === 'all') return ALL;
  const [f, t] = [portOf(from), portOf(to)];
  if (p === 'other') return { protocol: String(protocol).toLowerCase(), from: f ?? -1, to: t ?? -1 };
  // Unknown ports, or -1, open every port of the protocol.
  if (f === undefined || t === undefined || Math.min(f, t) < 0) return { protocol: p, from: 0, to: 65535 };
  return { protocol: p, from: Math.min(f, t), to: Math.max(f, t) };
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The family of a source that spans much of the internet: any /0 (`openFamily`), and IPv4 prefixes
 * shorter than /8 or IPv6 ones shorter than /16, with which a few rules cover everything
 * (`0.0.0.0/1` and `128.0.0.0/1`, `2000::/3`).
 */
export function wideFamily(cidr: string): Family | undefined {
  const open = openFamily(cidr);
  if (open) return open;
  const m = /^\s*([0-9A-Fa-f:.]+)\/(\d{1,3})\s*$/.exec(cidr);
  const [address, bits] = [m?.[1] ?? '', Number(m?.[2] ?? 128)];
  if (address.includes(':')) return bits < 16 ? 'ipv6' : undefined;
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(address) && bits < 8 ? 'ipv4' : undefined;
}

/** Marks a source cloudmend cannot read, which counts as open: `? <expression>`. */
const UNREAD = '? ';

/** The open sources of one rule; a source that cannot be read counts as open in its family. */
function opens(holder: Holder, get: (name: string) => unknown, cidrs: (name: string) => string[], names: Names): OpenIngress[] {
  const span = portSpan(get(names.protocol), get(names.from), get(names.to));
  return names.sources.flatMap((name) =>
    cidrs(name).flatMap((cidr) => {
      if (cidr.startsWith(UNREAD)) return [{ holder, cidr: `${cidr.slice(UNREAD.length)} (which cloudmend cannot read)`, family: /ipv6/i.test(name) ? ('ipv6' as const) : ('ipv4' as const), ...span }];
      const family = wideFamily(cidr);
      return family ? [{ holder, cidr, family, ...span }] : [];
    }),
  );
}

/**
 * True for an expression the patch's author controls but cloudmend cannot evaluate: a function
 * call, a `for` or conditional expression, or the iterator of a `dynamic` block. References to
 * variables and other resources are not: their values come from outside the patch.
 */
function unreadable(value: HclValue, iterator: string | undefined): boolean {
  switch (value.type) {
    case 'call':
    case 'unknown':
      return true;
    case 'reference':
      return iterator !== undefined && (value.path === iterator || value.path.startsWith(`${iterator}.`) || value.path.startsWith(`${iterator}[`));
    case 'tuple':
      return value.items.some((i) => unreadable(i, iterator));
    case 'template':
      return value.parts.some((p) => typeof p !== 'string' && unreadable(p, iterator));
    default:
      return false;
  }
}

/** CIDRs of an attribute: a list read item by item, so one reference does not hide a literal /0. */
function tfCidrs(module: TfModule, body: HclBody, name: string, iterator?: string): string[] {
  const attr = attribute(body, name);
  if (!attr) return [];
  const items = listItems(attr)?.map((i) => i.text) ?? [attr.expr];
  return items.flatMap((text) => {
    const value = readHclValue(text);
    const known = staticValue(value, module.resolve);
    if (known !== undefined) return strings(known);
    return unreadable(value, iterator) ? [`${UNREAD}${squash(text)}`] : [];
  });
}

function tfBlockOpens(module: TfModule, holder: Holder, body: HclBody, names: Names, iterator?: string): OpenIngress[] {
  return opens(holder, (n) => attrValue(module, body, n), (n) => tfCidrs(module, body, n, iterator), names);
}

/** CIDRs of a CloudFormation value: parameters by their default, both branches of `Fn::If`; other intrinsics cannot be read. */
function cfnCidrs(value: unknown, param: (name: string) => unknown): string[] {
  if (typeof value === 'string') return value.includes(OPAQUE) ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((v) => cfnCidrs(v, param));
  if (value === null || typeof value !== 'object') return [];
  const [[fn, arg] = ['', undefined]] = Object.entries(value);
  if (fn === 'Ref') return typeof arg === 'string' ? cfnCidrs(param(arg), param) : [];
  if (fn === 'Fn::If') return Array.isArray(arg) ? arg.slice(1).flatMap((v: unknown) => cfnCidrs(v, param)) : [];
  // Attributes of resources and other stacks' exports come from outside the patch.
  if (fn === 'Fn::GetAtt' || fn === 'Fn::ImportValue') return [];
  return [`${UNREAD}${JSON.stringify(value)}`];
}

function objectOpens(holder: Holder, rule: unknown, names: Names, param: (name: string) => unknown = () => undefined): OpenIngress[] {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return [];
  // Values read leniently hold OPAQUE where a reference could not be followed: unknown, not a protocol.
  const get = (n: string): unknown => {
    const v = (rule as Record<string, unknown>)[n];
    return typeof v === 'string' && v.includes(OPAQUE) ? undefined : v;
  };
  return opens(holder, get, (n) => cfnCidrs((rule as Record<string, unknown>)[n], param), names);
}

/** The group a standalone rule belongs to, when it is declared in the module. */
function tfGroupOf(module: TfModule, rule: TfResource): Holder {
  const expr = attrExpr(rule.block.body, 'security_group_id');
  const address = expr?.type === 'reference' ? /^aws_(default_)?security_group\.[\w-]+/.exec(expr.path)?.[0] : undefined;
  const group = module.resources.find((r) => r.mode === 'resource' && r.address === address);
  return { ...tfHolder(group ?? rule), file: rule.file.path };
}

function tfOpens(module: TfModule): OpenIngress[] {
  return module.resources.flatMap((r): OpenIngress[] => {
    if (r.mode !== 'resource') return [];
    const body = r.block.body;
    if (r.type === 'aws_security_group' || r.type === 'aws_default_security_group') {
      const holder = tfHolder(r);
      const inline = blocks(body, 'ingress').flatMap((b) => tfBlockOpens(module, holder, b.body, TF_LIST));
      const dynamic = blocks(body, 'dynamic')
        .filter((d) => d.labels[0] === 'ingress')
        .flatMap((d) => {
          const iterator = attrExpr(d.body, 'iterator');
          const name = iterator?.type === 'reference' ? iterator.path : 'ingress';
          return blocks(d.body, 'content').flatMap((c) => tfBlockOpens(module, holder, c.body, TF_LIST, name));
        });
      // One reference in an `ingress = [...]` argument (a security group id) must not hide the rest.
      const argument = attrValue({ ...module, resolve: lenientResolver(module) }, body, 'ingress');
      const unread = attribute(body, 'ingress') && argument === undefined ? [{ holder, cidr: 'an ingress argument cloudmend cannot read', family: 'ipv4' as const, ...ALL }] : [];
      return [...inline, ...dynamic, ...unread, ...(Array.isArray(argument) ? argument.flatMap((rule) => objectOpens(holder, rule, TF_LIST)) : [])];
    }
    if (r.type === 'aws_security_group_rule') return attrValue(module, body, 'type') === 'ingress' ? tfBlockOpens(module, tfGroupOf(module, r), body, TF_LIST) : [];
    if (r.type === 'aws_vpc_security_group_ingress_rule') return tfBlockOpens(module, tfGroupOf(module, r), body, TF_VPC);
    return [];
  });
}

/** `!Ref Group` or `!GetAtt Group.GroupId`: the group's logical id. */
function cfnGroupId(value: CfnValue | undefined): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const getAtt = value['Fn::GetAtt'];
  const id = typeof value.Ref === 'string' ? value.Ref : Array.isArray(getAtt) ? getAtt[0] : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** Every ingress rule of the side that is open to the internet. */
export function openIngress(side: Side): OpenIngress[] {
  if (side.kind === 'terraform') return tfOpens(side.module);
  return side.templates.flatMap((t) => {
    // A parameter's default is what a deployment without overrides gets.
    const parameters = t.docs.map((d) => valueOf(d.get('Parameters', true))).find((p) => p !== null && typeof p === 'object' && !Array.isArray(p)) as Record<string, CfnValue> | undefined;
    const param = (name: string): unknown => {
      const p = parameters?.[name];
      return p !== null && typeof p === 'object' && !Array.isArray(p) ? p.Default : undefined;
    };
    return t.resources.flatMap((r): OpenIngress[] => {
      if (r.type === 'AWS::EC2::SecurityGroup') {
        const list = propertyAt(r, ['Properties', 'SecurityGroupIngress']);
        return Array.isArray(list) ? list.flatMap((rule) => objectOpens(cfnHolder(t, r), rule, CFN, param)) : [];
      }
      if (r.type !== 'AWS::EC2::SecurityGroupIngress') return [];
      const id = cfnGroupId(propertyAt(r, ['Properties', 'GroupId'])) ?? cfnGroupId(propertyAt(r, ['Properties', 'GroupName']));
      const group = t.resources.find((g) => g.logicalId === id && g.type === 'AWS::EC2::SecurityGroup');
      return objectOpens(cfnHolder(t, group ?? r), propertyAt(r, ['Properties']), CFN, param);
    });
  });
}
