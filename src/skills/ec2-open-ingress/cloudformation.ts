/**
 * Ingress rules in CloudFormation: `SecurityGroupIngress` items of `AWS::EC2::SecurityGroup` and
 * `AWS::EC2::SecurityGroupIngress` resources. A rule holds exactly one source, so narrowing
 * `0.0.0.0/0` to several CIDRs makes one rule per CIDR: `replaceSeqItem` in a group, copies of the
 * resource right after it for a standalone rule.
 */
import { insertResource, replaceScalar, replaceSeqItem } from '../../iac/cloudformation/edit.js';
import { cfnResolver, type CfnResolver } from '../../iac/cloudformation/resolve.js';
import { nodeAt, propertyAt, valueOf, type CfnResource, type CfnTemplate, type CfnValue } from '../../iac/cloudformation/template.js';
import type { TextEdit } from '../../iac/edits.js';
import { optionsOf } from '../../iac/values.js';
import type { SkillOptions, Violation } from '../types.js';
import { cfnPublicEntry, type PublicEntry } from './load-balancer.js';
import { openFamily, portOf, protocolOf, type Family } from './ports.js';
import { judgeRule, planNote, type FamilySources, type Finding, type Plan, type RuleReading } from './rules.js';

const SOURCE_KEYS: Readonly<Record<Family, string>> = { ipv4: 'CidrIp', ipv6: 'CidrIpv6' };
const OTHER_SOURCES = ['SourceSecurityGroupId', 'SourceSecurityGroupName', 'SourcePrefixListId'];
const LIST = ['Properties', 'SecurityGroupIngress'];
const TWO_SOURCES = ' The rule names more than one source, which CloudFormation does not accept: fix it by hand.';
const NAME_TAKEN = ' Copies for the other allowed CIDRs would need logical ids that are taken: narrow it by hand.';
const FROM_PARAMETER =
  ' The CIDR comes from {expr}, which is {value} when the stack is deployed without overriding it: ' +
  'only a person can decide what it should be (the default, the value passed at deploy, or the rule).';

type Json = Record<string, CfnValue>;

/** One rule: where it is (an item of the group's list, or the standalone resource's Properties). */
interface CfnRule {
  readonly label: string;
  readonly path: readonly (string | number)[];
  readonly index?: number | undefined;
  readonly value: Json;
}

function isMap(v: CfnValue | undefined): v is Json {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

function isIntrinsic(v: CfnValue | undefined): boolean {
  return isMap(v) && Object.keys(v).length === 1 && /^(Ref|Fn::)/.test(Object.keys(v)[0] ?? '');
}

/** `!Ref SshCidr`, `an Fn::If`: an intrinsic named for a message. */
function describe(v: CfnValue | undefined): string {
  if (isMap(v) && typeof v.Ref === 'string') return `!Ref ${v.Ref}`;
  return isMap(v) ? `an ${Object.keys(v)[0] ?? 'intrinsic'}` : JSON.stringify(v);
}

/** The rules of a resource, and the violations for a list cloudmend cannot read item by item. */
function rulesOf(resource: CfnResource): { rules: CfnRule[]; unreadable: Violation[] } {
  const unreadable = (offset: number, expr: string): Violation => ({
    messageId: 'unknownRules',
    data: { rule: resource.logicalId, expr },
    resource: resource.logicalId,
    offset,
    fixable: false,
    kind: 'violation',
  });
  if (resource.type === 'AWS::EC2::SecurityGroupIngress') {
    const props = propertyAt(resource, ['Properties']);
    return { rules: isMap(props) ? [{ label: resource.logicalId, path: ['Properties'], value: props }] : [], unreadable: [] };
  }
  const list = propertyAt(resource, LIST);
  const at = nodeAt(resource, LIST)?.range?.[0] ?? resource.span.start;
  if (list === undefined || list === null) return { rules: [], unreadable: [] };
  if (!Array.isArray(list)) return { rules: [], unreadable: [unreadable(at, describe(list))] };
  const rules: CfnRule[] = [];
  const bad: Violation[] = [];
  list.forEach((item, index) => {
    const label = `${resource.logicalId} SecurityGroupIngress #${index + 1}`;
    if (isMap(item) && !isIntrinsic(item)) rules.push({ label, path: [...LIST, index], index, value: item });
    else bad.push(unreadable(nodeAt(resource, [...LIST, index])?.range?.[0] ?? at, `${describe(item)} in SecurityGroupIngress`));
  });
  return { rules, unreadable: bad };
}

/**
 * The values an intrinsic (`!Ref SSHLocation`, an `!If` over parameters) takes in a deployment
 * without parameter overrides, as strings or numbers; undefined when one of them cannot be known
 * (a parameter without default, one read from SSM, a resource's attribute).
 */
function evaluated(resolver: CfnResolver, v: CfnValue): (string | number)[] | undefined {
  const resolved = resolver.resolve(v);
  const options = resolved === undefined ? [] : optionsOf(resolved);
  const known = options.filter((o): o is string | number => typeof o === 'string' || typeof o === 'number');
  return options.length > 0 && known.length === options.length ? known : undefined;
}

/** A protocol or port setting, through parameters when it is an intrinsic with one value. */
function setting(resolver: CfnResolver, v: CfnValue | undefined): CfnValue | undefined {
  if (!isIntrinsic(v) || v === undefined) return v;
  const values = evaluated(resolver, v);
  return values?.length === 1 ? (values[0] ?? null) : null;
}

function readFamily(
  resolver: CfnResolver,
  resource: CfnResource,
  rule: CfnRule,
  family: Family,
  sourceCount: number,
): FamilySources | undefined {
  const key = SOURCE_KEYS[family];
  const v = rule.value[key];
  if (v === undefined || v === null) return undefined;
  const offset = nodeAt(resource, [...rule.path, key])?.range?.[0] ?? resource.span.start;
  const blocked = sourceCount > 1 ? TWO_SOURCES : undefined;
  if (typeof v !== 'string') {
    const expr = describe(v);
    // A parameter's default is what the stack gets: open there is open, yet only a person may change it.
    // A closed default can still be overridden at deploy: that stays for a person to check.
    const values = evaluated(resolver, v)?.map(String);
    const open = values?.filter((c) => openFamily(c)) ?? [];
    if (!values || open.length === 0) {
      const shown = values ? `${expr} (${values.join(' or ')} unless overridden at deploy)` : expr;
      return { open: [], kept: [], unknown: true, expr: shown, offset, blocked };
    }
    const from = FROM_PARAMETER.replace('{expr}', expr).replace('{value}', values.join(' or '));
    return { open, kept: [], unknown: false, expr, offset, blocked: from };
  }
  return { open: openFamily(v) ? [v] : [], kept: openFamily(v) ? [] : [v], unknown: false, expr: v, offset, blocked };
}

const STANDALONE = ' A standalone AWS::EC2::SecurityGroupIngress is not rewritten to listener ports by cloudmend.';

function reading(resolver: CfnResolver, resource: CfnResource, rule: CfnRule, entry: PublicEntry | undefined): RuleReading {
  const v = rule.value;
  const sourceCount = [...Object.values(SOURCE_KEYS), ...OTHER_SOURCES].filter((k) => v[k] !== undefined).length;
  const families: RuleReading['families'] = {};
  for (const family of ['ipv4', 'ipv6'] as const) {
    const f = readFamily(resolver, resource, rule, family, sourceCount);
    if (f) families[family] = f;
  }
  return {
    label: rule.label,
    resource: resource.logicalId,
    offset: nodeAt(resource, rule.path)?.range?.[0] ?? resource.span.start,
    protocol: protocolOf(setting(resolver, v.IpProtocol)),
    from: portOf(setting(resolver, v.FromPort)),
    to: portOf(setting(resolver, v.ToPort)),
    portsExpr: ['IpProtocol', 'FromPort', 'ToPort'].map((k) => `${k}: ${describe(v[k] ?? null)}`).join(', '),
    families,
    otherSources: OTHER_SOURCES.some((k) => v[k] !== undefined),
    multiSource: false,
    entry,
    rewriteBlocked: rule.index === undefined ? STANDALONE : undefined,
  };
}

function freeIds(t: CfnTemplate, base: string, count: number): string[] | undefined {
  const ids = Array.from({ length: count }, (_, i) => `${base}${i + 2}`);
  return ids.some((id) => t.resources.some((r) => r.logicalId === id)) ? undefined : ids;
}

function planEdits(t: CfnTemplate, resource: CfnResource, rule: CfnRule, p: Plan): TextEdit[] | undefined {
  if (p.action === 'listeners' && rule.index !== undefined) {
    const items = p.entry.ports.map((port) => ({ ...rule.value, IpProtocol: 'tcp', FromPort: port, ToPort: port }));
    return [replaceSeqItem(t, resource, LIST, rule.index, items)];
  }
  if (p.action !== 'narrow') return undefined;
  const key = SOURCE_KEYS[p.family];
  const [first, ...rest] = p.to;
  const node = nodeAt(resource, [...rule.path, key]);
  if (first === undefined || !node) return undefined;
  if (rest.length > 0 && rule.index !== undefined)
    return [
      replaceSeqItem(
        t,
        resource,
        LIST,
        rule.index,
        p.to.map((cidr) => ({ ...rule.value, [key]: cidr })),
      ),
    ];
  const edit = replaceScalar(t, node, first);
  if (!edit) return undefined;
  if (rest.length === 0) return [edit];
  const ids = freeIds(t, resource.logicalId, rest.length);
  if (!ids) return undefined;
  const whole = valueOf(resource.node);
  if (!isMap(whole)) return undefined;
  return [
    edit,
    ...rest.map((cidr, i) => insertResource(t, resource, ids[i] ?? '', { ...whole, Properties: { ...rule.value, [key]: cidr } })),
  ];
}

/** Every finding of a CloudFormation resource, fixable ones with their edits ready. */
export function findingsOf(
  t: CfnTemplate,
  resource: CfnResource,
  options: SkillOptions,
): { finding: Finding; edits?: TextEdit[]; note?: string }[] {
  const { rules, unreadable } = rulesOf(resource);
  const resolver = cfnResolver(t);
  const entry = cfnPublicEntry(t, resource);
  const fromRules = rules.flatMap((rule) =>
    judgeRule(reading(resolver, resource, rule, entry), options).map((finding) => {
      if (!finding.plan) return { finding };
      const edits = planEdits(t, resource, rule, finding.plan);
      if (edits) return { finding, edits, note: planNote(rule.label, finding, finding.plan, entry) };
      const data = { ...finding.violation.data, remedy: NAME_TAKEN };
      return { finding: { ...finding, plan: undefined, violation: { ...finding.violation, data, fixable: false } } };
    }),
  );
  return [...unreadable.map((violation) => ({ finding: { violation } })), ...fromRules];
}
