/**
 * Security groups: ingress and egress rules, description, name, tags. Rules compare as atoms, one
 * per (protocol, ports, peer), because Terraform, CloudFormation and EC2 group the same rules
 * differently (one block with three CIDRs is three permissions live, or one permission with three
 * ranges). An ingress atom live but not in the code is drift even when the code declares no rule.
 */
import type { Declaration } from '../declaration.js';
import type { ConfigItem } from '../item.js';
import { isList, isObject, isUnknown, listOf, pick, textOf, Unknown, type Partial } from '../partial.js';
import type { DriftType, Fact, SetSpec, Spec } from '../types.js';
import { declaredTags, liveTags, put, TAGS_SPEC, toNumber } from './common.js';

type PeerKind = 'cidr' | 'cidr6' | 'sg' | 'prefix-list' | 'self';

const PROTOCOLS: Readonly<Record<string, string>> = { '-1': 'all', all: 'all', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

function protocol(value: Partial | undefined): Partial {
  if (value === undefined || value === null) return 'all';
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  const text = String(value).toLowerCase();
  return PROTOCOLS[text] ?? text;
}

function port(value: Partial | undefined, proto: Partial): Partial {
  if (proto === 'all') return null;
  if (value === undefined || value === null) return null;
  return typeof value === 'string' || typeof value === 'number' ? toNumber(value) : value;
}

/** One atom per peer of a rule; an unknown list of peers is one atom with an unknown peer. */
function atoms(
  rule: Partial,
  peers: readonly (readonly [PeerKind, Partial | undefined])[],
  fields: { proto: string; from: string; to: string },
): Partial[] {
  if (isUnknown(rule)) return [rule];
  if (!isObject(rule)) return [];
  const proto = protocol(pick(rule, fields.proto));
  const base = { protocol: proto, from: port(pick(rule, fields.from), proto), to: port(pick(rule, fields.to), proto) };
  return peers.flatMap(([kind, value]): Partial[] => {
    if (value === undefined || value === null || value === false) return [];
    if (kind === 'self') return [{ ...base, kind, peer: isUnknown(value) ? value : 'self' }];
    const list = listOf(value);
    if (list === undefined) return [];
    if (isUnknown(list)) return [{ ...base, kind, peer: list }];
    return list.map((peer) => ({ ...base, kind, peer }));
  });
}

const isOpen = (peer: Partial | undefined): boolean => peer === '0.0.0.0/0' || peer === '::/0';

function ruleSpec(direction: 'ingress' | 'egress'): SetSpec {
  return {
    kind: 'set',
    path: direction,
    label: `${direction} rule`,
    itemLabel: (item) => {
      if (!isObject(item)) return 'unknown rule';
      const ports = item.from === null ? '' : item.from === item.to ? ` ${textOf(item.from)}` : ` ${textOf(item.from)}-${textOf(item.to)}`;
      return `${textOf(item.protocol)}${ports} ${textOf(item.peer)}`;
    },
    category: (item) => (direction === 'ingress' && isObject(item) && isOpen(item.peer) ? 'exposure' : 'network'),
    weakens: (_item, change) => change === 'added',
    // Undeclared egress: the allow-all rule AWS adds to every new group is not drift.
    undeclared: (item) => direction === 'ingress' || !(isObject(item) && item.protocol === 'all' && isOpen(item.peer)),
  };
}

const specs: Spec[] = [
  ruleSpec('ingress'),
  ruleSpec('egress'),
  { kind: 'scalar', path: 'description', label: 'security group description' },
  { kind: 'scalar', path: 'name', label: 'security group name' },
  TAGS_SPEC,
];

const TF_INLINE = { proto: 'protocol', from: 'from_port', to: 'to_port' };
const TF_VPC_RULE = { proto: 'ip_protocol', from: 'from_port', to: 'to_port' };
const CFN = { proto: 'IpProtocol', from: 'FromPort', to: 'ToPort' };

function tfInline(rule: Partial): Partial[] {
  return atoms(
    rule,
    [
      ['cidr', pick(rule, 'cidr_blocks')],
      ['cidr6', pick(rule, 'ipv6_cidr_blocks')],
      ['prefix-list', pick(rule, 'prefix_list_ids')],
      ['sg', pick(rule, 'security_groups') ?? pick(rule, 'source_security_group_id')],
      ['self', pick(rule, 'self')],
    ],
    TF_INLINE,
  );
}

function tfVpcRule(rule: Partial): Partial[] {
  return atoms(
    rule,
    [
      ['cidr', pick(rule, 'cidr_ipv4')],
      ['cidr6', pick(rule, 'cidr_ipv6')],
      ['prefix-list', pick(rule, 'prefix_list_id')],
      ['sg', pick(rule, 'referenced_security_group_id')],
    ],
    TF_VPC_RULE,
  );
}

function cfnRule(rule: Partial, direction: 'ingress' | 'egress'): Partial[] {
  const [sg, pl] =
    direction === 'ingress' ? ['SourceSecurityGroupId', 'SourcePrefixListId'] : ['DestinationSecurityGroupId', 'DestinationPrefixListId'];
  const byName = direction === 'ingress' ? pick(rule, 'SourceSecurityGroupName') : undefined;
  return atoms(
    rule,
    [
      ['cidr', pick(rule, 'CidrIp')],
      ['cidr6', pick(rule, 'CidrIpv6')],
      ['prefix-list', pick(rule, pl)],
      ['sg', pick(rule, sg) ?? (byName === undefined ? undefined : new Unknown(`group named ${JSON.stringify(byName)}`))],
    ],
    CFN,
  );
}

/** A declared rule list: undefined when neither the group nor any sibling declares one. */
function ruleSet(inline: Partial | undefined, inlineAtoms: (r: Partial) => Partial[], siblings: readonly Partial[][]): Partial | undefined {
  if (inline === undefined && siblings.length === 0) return undefined;
  const list = listOf(inline);
  if (isUnknown(list)) return list;
  return [...(list ?? []).flatMap(inlineAtoms), ...siblings.flat()];
}

function terraform(d: Declaration): Record<string, Fact> {
  const facts: Record<string, Fact> = {};
  const rules = d.siblings(['aws_security_group_rule'], 'security_group_id');
  for (const direction of ['ingress', 'egress'] as const) {
    const legacy = rules
      .filter((r) => {
        const t = pick(r.props, 'type');
        return t === direction || isUnknown(t);
      })
      .map((r) => tfInline(r.props));
    const vpc = d.siblings([`aws_vpc_security_group_${direction}_rule`], 'security_group_id').map((r) => tfVpcRule(r.props));
    put(facts, direction, ruleSet(d.props[direction], tfInline, [...legacy, ...vpc]));
  }
  put(facts, 'description', d.props.description);
  put(facts, 'name', d.props.name);
  put(facts, 'tags', declaredTags(d));
  return facts;
}

function cloudformation(d: Declaration): Record<string, Fact> {
  const facts: Record<string, Fact> = {};
  for (const direction of ['ingress', 'egress'] as const) {
    const type = direction === 'ingress' ? 'AWS::EC2::SecurityGroupIngress' : 'AWS::EC2::SecurityGroupEgress';
    const siblings = [...d.siblings([type], 'GroupId'), ...(direction === 'ingress' ? d.siblings([type], 'GroupName') : [])].map((s) =>
      cfnRule(s.props, direction),
    );
    put(
      facts,
      direction,
      ruleSet(d.props[direction === 'ingress' ? 'SecurityGroupIngress' : 'SecurityGroupEgress'], (r) => cfnRule(r, direction), siblings),
    );
  }
  put(facts, 'description', d.props.GroupDescription);
  put(facts, 'name', d.props.GroupName);
  put(facts, 'tags', declaredTags(d));
  return facts;
}

function livePermissions(item: ConfigItem, key: string): Partial | undefined {
  const list = listOf(pick(item.configuration, key));
  if (list === undefined || isUnknown(list)) return undefined;
  const out = list.flatMap((p) => {
    const v4 = listOf(pick(p, 'ipv4Ranges'));
    const cidrs = isList(v4) && v4.length > 0 ? v4.map((r) => pick(r, 'cidrIp') ?? null) : pick(p, 'ipRanges');
    const groups = listOf(pick(p, 'userIdGroupPairs'));
    const ids = isList(groups) ? groups.map((g) => pick(g, 'groupId') ?? null) : [];
    return atoms(
      p,
      [
        ['cidr', cidrs],
        ['cidr6', (listOf(pick(p, 'ipv6Ranges')) as Partial[] | undefined)?.map((r) => pick(r, 'cidrIpv6') ?? null)],
        ['prefix-list', (listOf(pick(p, 'prefixListIds')) as Partial[] | undefined)?.map((r) => pick(r, 'prefixListId') ?? null)],
        ['sg', ids.filter((id) => id !== item.resourceId)],
        ['self', ids.includes(item.resourceId)],
      ],
      { proto: 'ipProtocol', from: 'fromPort', to: 'toPort' },
    );
  });
  return out;
}

function live(item: ConfigItem): Record<string, Fact> {
  const facts: Record<string, Fact> = { tags: liveTags(item) };
  put(facts, 'ingress', livePermissions(item, 'ipPermissions'));
  put(facts, 'egress', livePermissions(item, 'ipPermissionsEgress'));
  put(facts, 'description', pick(item.configuration, 'description'));
  put(facts, 'name', pick(item.configuration, 'groupName'));
  return facts;
}

export const securityGroup: DriftType = {
  configType: 'AWS::EC2::SecurityGroup',
  terraform: ['aws_security_group'],
  cloudformation: ['AWS::EC2::SecurityGroup'],
  specs,
  declared: (d) => (d.kind === 'terraform' ? terraform(d) : cloudformation(d)),
  live,
};
