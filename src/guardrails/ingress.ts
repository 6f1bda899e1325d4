/**
 * Ingress open to the whole internet, read from every place a rule can be written: a security
 * group's inline rules (blocks, dynamic blocks, the `ingress = [...]` argument),
 * `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`, CloudFormation
 * `SecurityGroupIngress` items and `AWS::EC2::SecurityGroupIngress`, and network ACL entries that
 * allow inbound traffic. Sources are evaluated (variables, locals, functions such as
 * `cidrsubnet`, parameter defaults, `Fn::If` both ways); a source cloudmend cannot evaluate counts
 * as open, and ports or protocols it cannot evaluate as every port: the worst case is what a patch
 * is judged by. A reference to another resource (a VPC's CIDR, a prefix list) is not open: it names
 * a network the code already knows.
 */
import { hasRef, isList, isObject, optionsOf, Ref, refsIn, Unknown, type Val } from '../iac/values.js';
import type { Holder } from './facts.js';
import type { Props, Resource, Side } from './side.js';
import { dirOf, holderOf } from './walk.js';

export type Family = 'ipv4' | 'ipv6';

export interface OpenIngress {
  /** The security group (or network ACL) the rule belongs to. */
  readonly holder: Holder;
  readonly cidr: string;
  readonly family: Family;
  /** `all`, `tcp`, `udp`, or another protocol as written (`icmp`). */
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  readonly line: number;
}

interface Names {
  readonly protocol: string;
  readonly from: string;
  readonly to: string;
  readonly sources: readonly (readonly [string, Family])[];
}

const TF_RULE: Names = {
  protocol: 'protocol',
  from: 'from_port',
  to: 'to_port',
  sources: [
    ['cidr_blocks', 'ipv4'],
    ['ipv6_cidr_blocks', 'ipv6'],
  ],
};
const TF_VPC_RULE: Names = {
  protocol: 'ip_protocol',
  from: 'from_port',
  to: 'to_port',
  sources: [
    ['cidr_ipv4', 'ipv4'],
    ['cidr_ipv6', 'ipv6'],
  ],
};
const TF_NACL: Names = {
  protocol: 'protocol',
  from: 'from_port',
  to: 'to_port',
  sources: [
    ['cidr_block', 'ipv4'],
    ['ipv6_cidr_block', 'ipv6'],
  ],
};
const CFN_RULE: Names = {
  protocol: 'IpProtocol',
  from: 'FromPort',
  to: 'ToPort',
  sources: [
    ['CidrIp', 'ipv4'],
    ['CidrIpv6', 'ipv6'],
  ],
};
const CFN_NACL: Names = {
  protocol: 'Protocol',
  from: 'PortRange.From',
  to: 'PortRange.To',
  sources: [
    ['CidrBlock', 'ipv4'],
    ['Ipv6CidrBlock', 'ipv6'],
  ],
};

const ALL = { protocol: 'all', from: 0, to: 65535 };

function get(rule: Props, path: string): Val | undefined {
  let v: Val | undefined = rule;
  for (const step of path.split('.'))
    v = isObject(v ?? null) ? (v as Props)[step] : isList(v ?? null) ? ((v as readonly Val[])[0] as Props | undefined)?.[step] : undefined;
  return v;
}

function protocolName(v: Val): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const key = String(v).trim().toLowerCase();
  const known: Record<string, string> = { tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', '-1': 'all', all: 'all' };
  return key === '' ? undefined : (known[key] ?? key);
}

function port(v: Val): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : Number.NaN;
  return Number.isInteger(n) ? n : undefined;
}

/** The widest span a rule's protocol and ports may take. */
function span(rule: Props, names: Names): { protocol: string; from: number; to: number } {
  const protocols = optionsOf(get(rule, names.protocol) ?? new Unknown('no protocol')).map(protocolName);
  if (protocols.some((p) => p === undefined || p === 'all')) return ALL;
  const protocol = protocols.length === 1 ? (protocols[0] as string) : 'all';
  const ports = (name: string): (number | undefined)[] => optionsOf(get(rule, name) ?? new Unknown('no port')).map(port);
  const [from, to] = [ports(names.from), ports(names.to)];
  if (protocol !== 'tcp' && protocol !== 'udp') return { protocol, from: -1, to: -1 };
  if ([...from, ...to].some((p) => p === undefined || p < 0)) return { protocol, from: 0, to: 65535 };
  const numbers = [...from, ...to] as number[];
  return { protocol, from: Math.min(...numbers), to: Math.max(...numbers) };
}

/** The family of a source that spans much of the internet: /0, or IPv4 shorter than /8, IPv6 than /16. */
export function wideFamily(cidr: string): Family | undefined {
  const m = /^\s*([0-9A-Fa-f:.]+)\/(\d{1,3})\s*$/.exec(cidr);
  if (!m) return undefined;
  const [address, bits] = [m[1] ?? '', Number(m[2])];
  if (address.includes(':')) return bits < 16 ? 'ipv6' : undefined;
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(address) && bits < 8 ? 'ipv4' : undefined;
}

/** The open sources of one rule; `lineOf` tells where a source is written. */
function opens(holder: Holder, rule: Props, names: Names, lineOf: (source: string) => number): OpenIngress[] {
  const reach = span(rule, names);
  return names.sources.flatMap(([name, family]) => {
    const value = get(rule, name);
    if (value === undefined || value === null) return [];
    const line = lineOf(name);
    return optionsOf(value)
      .flatMap((o) => (isList(o) ? o.flatMap(optionsOf) : [o]))
      .flatMap((o): OpenIngress[] => {
        if (o === null) return [];
        // A data source's value is whatever AWS (or anyone who can write it) says at plan time.
        if (o instanceof Ref)
          return /^(data|module)\.|^import:/.test(o.name)
            ? [{ holder, cidr: `\${${o.name}} (read at plan time, so cloudmend cannot evaluate it)`, family, ...reach, line }]
            : [];
        if (o instanceof Unknown || typeof o !== 'string')
          return [{ holder, cidr: `a ${name} cloudmend cannot evaluate`, family, ...reach, line }];
        if (hasRef(o))
          return refsIn(o).some((n) => /^(data|module)\./.test(n))
            ? [{ holder, cidr: `a ${name} read at plan time`, family, ...reach, line }]
            : [];
        const wide = wideFamily(o);
        return wide ? [{ holder, cidr: o.trim(), family: wide, ...reach, line }] : [];
      });
  });
}

function rules(v: Val | undefined): Props[] {
  return isList(v ?? null) ? (v as readonly Val[]).flatMap((x) => optionsOf(x)).filter((x): x is Props => isObject(x)) : [];
}

/** The group a standalone rule belongs to, when it is declared on this side; else the rule itself. */
function groupOf(side: Side, r: Resource, ref: Val | undefined): Holder {
  const name = ref instanceof Ref ? ref.name : undefined;
  const logical = r.kind === 'cloudformation' ? name?.split('.')[0] : name?.match(/^aws_(default_)?security_group\.[\w-]+/)?.[0];
  const key = logical === undefined ? undefined : r.kind === 'cloudformation' ? `${r.file}#${logical}` : `${dirOf(r.key)}${logical}`;
  const group = side.resources.find((g) => g.key === key);
  return { ...holderOf(group ?? r), file: r.file, line: r.line };
}

/**
 * A module call's inputs named for CIDRs (`ingress_cidr_blocks`, `allowed_cidrs`): what the module
 * opens to them is not known, so a wide one counts as open for all traffic.
 */
function moduleSources(r: Resource): OpenIngress[] {
  const inputs = Object.keys(r.props).filter((k) => /cidr/i.test(k) && !/egress/i.test(k));
  return inputs.flatMap((name) =>
    opens(holderOf(r), { [name]: r.props[name] ?? null }, { ...TF_RULE, sources: [[name, /ipv6/i.test(name) ? 'ipv6' : 'ipv4']] }, () =>
      r.lineOf([name]),
    ),
  );
}

/** Every ingress rule of the side that is open to the internet (or may be). */
export function openIngress(side: Side): OpenIngress[] {
  return side.resources.flatMap((r): OpenIngress[] => {
    if (r.mode === 'module') return moduleSources(r);
    if (r.mode !== 'resource') return [];
    const p = r.props;
    const inline = (list: string, names: Names, keep: (rule: Props) => boolean = () => true): OpenIngress[] =>
      rules(p[list]).flatMap((rule, i) =>
        keep(rule) ? opens(holderOf(r), rule, names, (source) => r.lineOf([list, String(i), source])) : [],
      );
    const standalone = (ref: Val | undefined, names: Names): OpenIngress[] =>
      opens(groupOf(side, r, ref), p, names, (source) => r.lineOf([source]));
    switch (r.type) {
      case 'aws_security_group':
      case 'aws_default_security_group':
        return inline('ingress', TF_RULE);
      case 'aws_security_group_rule':
        return optionsOf(p.type ?? null).some((t) => t !== 'egress') ? standalone(p.security_group_id, TF_RULE) : [];
      case 'aws_vpc_security_group_ingress_rule':
        return standalone(p.security_group_id, TF_VPC_RULE);
      case 'aws_network_acl':
        return inline('ingress', TF_NACL, (rule) => optionsOf(rule.action ?? null).some((a) => a !== 'deny'));
      case 'aws_network_acl_rule':
        return optionsOf(p.egress ?? false).some((e) => e !== true) && optionsOf(p.rule_action ?? null).some((a) => a !== 'deny')
          ? standalone(p.network_acl_id, TF_NACL)
          : [];
      case 'AWS::EC2::SecurityGroup':
        return rules(p.SecurityGroupIngress).flatMap((rule, i) =>
          opens(holderOf(r), rule, CFN_RULE, (source) => r.lineOf(['SecurityGroupIngress', String(i), source])),
        );
      case 'AWS::EC2::SecurityGroupIngress':
        return standalone(p.GroupId ?? p.GroupName, CFN_RULE);
      case 'AWS::EC2::NetworkAclEntry':
        return optionsOf(p.Egress ?? false).some((e) => e !== true && e !== 'true') &&
          optionsOf(p.RuleAction ?? null).some((a) => a !== 'deny')
          ? standalone(p.NetworkAclId, CFN_NACL)
          : [];
      default:
        return [];
    }
  });
}
