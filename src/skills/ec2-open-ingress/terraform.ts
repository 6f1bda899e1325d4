/**
 * Ingress rules in Terraform: inline `ingress` blocks of `aws_security_group`,
 * `aws_security_group_rule` with `type = "ingress"`, and `aws_vpc_security_group_ingress_rule`.
 * Reads each into a `RuleReading` and turns fix plans into edits of the list or attribute.
 */
import { applyEdits, type TextEdit } from '../../iac/edits.js';
import { insertAfter, removeAttribute, setAttribute } from '../../iac/terraform/edit.js';
import { readHclValue, staticValue } from '../../iac/terraform/hcl-expr.js';
import { attribute, blocks, type HclAttribute, type HclBlock } from '../../iac/terraform/hcl-structure.js';
import { attrValue, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { hclString } from '../../iac/terraform/render.js';
import { lineStart } from '../../iac/text.js';
import type { SkillOptions, Violation } from '../types.js';
import { listItems, replaceItems, type ListItem } from './hcl-list.js';
import { tfPublicEntry, type PublicEntry } from './load-balancer.js';
import { openFamily, portOf, protocolOf, type Family } from './ports.js';
import { judgeRule, planNote, type FamilySources, type Finding, type Plan, type RuleReading } from './rules.js';

/** Attribute names per resource type. */
interface Shape {
  readonly protocol: string;
  readonly sources: Readonly<Record<Family, string>>;
  /** `cidr_ipv4`: one CIDR per rule. `cidr_blocks`: a list. */
  readonly list: boolean;
  readonly others: readonly string[];
}

const INLINE: Shape = {
  protocol: 'protocol',
  sources: { ipv4: 'cidr_blocks', ipv6: 'ipv6_cidr_blocks' },
  list: true,
  others: ['security_groups', 'prefix_list_ids', 'self'],
};
const SG_RULE: Shape = { ...INLINE, others: ['source_security_group_id', 'prefix_list_ids', 'self'] };
const VPC_RULE: Shape = {
  protocol: 'ip_protocol',
  sources: { ipv4: 'cidr_ipv4', ipv6: 'cidr_ipv6' },
  list: false,
  others: ['prefix_list_id', 'referenced_security_group_id'],
};

/** An ingress rule: the block holding its attributes and how to read them. */
interface TfRule {
  readonly label: string;
  readonly block: HclBlock;
  readonly shape: Shape;
}

/** A VPC's or subnet's CIDR is at most a /16 (IPv6 /56): never the whole internet. */
const NETWORK_CIDR = /^(data\.)?aws_(default_)?(vpc|subnet)\.[\w-]+(\[[^\]]*\])?\.(ipv6_)?cidr_block$/;

const SPREAD = ' The CIDRs come from {expr}, outside this rule: change them there.';
const SHARED_LINE = ' The item to remove shares its line with other text (another item, a comment): narrow it by hand.';
const NAME_TAKEN = ' Copies for the other allowed CIDRs would need names that are taken: narrow it by hand.';
const ONE_PORT = ' One rule resource holds one port range, and the listener ports are several.';

function classify(module: TfModule, text: string): { cidr?: string; known: boolean } {
  const value = readHclValue(text);
  if (value.type === 'reference' && NETWORK_CIDR.test(value.path)) return { known: true };
  const s = staticValue(value, module.resolve);
  return typeof s === 'string' ? { cidr: s, known: true } : { known: false };
}

/** One family's sources, and the list items (or single attribute) the fix would edit. */
function readFamily(
  module: TfModule,
  rule: TfRule,
  family: Family,
): { sources: FamilySources; attr: HclAttribute; items?: ListItem[] } | undefined {
  const attr = attribute(rule.block.body, rule.shape.sources[family]);
  if (!attr) return undefined;
  const base = { expr: attr.expr, offset: attr.span.start };
  const items = rule.shape.list ? listItems(attr) : [{ start: attr.exprSpan.start, end: attr.exprSpan.end, text: attr.expr }];
  if (items) {
    const read = items.map((i) => classify(module, i.text));
    const open = read.flatMap((r) => (r.cidr !== undefined && openFamily(r.cidr) ? [r.cidr] : []));
    // A VPC's or subnet's CIDR is kept by its reference.
    const kept = read.flatMap((r, i) => (r.known && !openFamily(r.cidr ?? '') ? [r.cidr ?? items[i]?.text ?? ''] : []));
    // An open CIDR that reaches the list through a variable or local is changed where it is set.
    const indirect = items.find(
      (item, i) => read[i]?.cidr !== undefined && openFamily(read[i]?.cidr ?? '') && readHclValue(item.text).type !== 'literal',
    );
    const blocked = indirect ? SPREAD.replace('{expr}', indirect.text) : undefined;
    return { sources: { ...base, open, kept, unknown: read.some((r) => !r.known), blocked }, attr, items };
  }
  // `var.cidrs`, `concat(...)`: read through variables and locals, never edited here.
  const value = staticValue(readHclValue(attr.expr), module.resolve);
  const all = Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  const open = all?.filter((c) => openFamily(c)) ?? [];
  return {
    sources: { ...base, open, kept: all?.filter((c) => !openFamily(c)) ?? [], unknown: !all, blocked: SPREAD.replace('{expr}', attr.expr) },
    attr,
  };
}

function hasOtherSource(module: TfModule, rule: TfRule): boolean {
  return rule.shape.others.some((name) => {
    if (!attribute(rule.block.body, name)) return false;
    const v = attrValue(module, rule.block.body, name);
    return !(v === false || v === null || v === '' || (Array.isArray(v) && v.length === 0));
  });
}

/** The ingress rules of a resource; `dynamic "ingress"` blocks and `ingress = ...` arguments are reported apart. */
function rulesOf(module: TfModule, resource: TfResource): TfRule[] {
  const body = resource.block.body;
  if (resource.type === 'aws_security_group')
    return blocks(body, 'ingress').map((block, i) => ({ label: `${resource.address} ingress #${i + 1}`, block, shape: INLINE }));
  if (resource.type === 'aws_security_group_rule')
    return attrValue(module, body, 'type') === 'ingress' ? [{ label: resource.address, block: resource.block, shape: SG_RULE }] : [];
  return [{ label: resource.address, block: resource.block, shape: VPC_RULE }];
}

/** Rules cloudmend cannot read one by one: `dynamic "ingress"` blocks and an `ingress = [...]` argument. */
export function unreadableRules(resource: TfResource): Violation[] {
  if (resource.type !== 'aws_security_group') return [];
  const body = resource.block.body;
  const dynamic = blocks(body, 'dynamic').filter((b) => b.labels[0] === 'ingress');
  const argument = attribute(body, 'ingress');
  const found: { offset: number; expr: string }[] = dynamic.map((b) => ({
    offset: b.span.start,
    expr: `dynamic "ingress" over ${attribute(b.body, 'for_each')?.expr ?? '?'}`,
  }));
  if (argument && readHclValue(argument.expr).type !== 'tuple') found.push({ offset: argument.span.start, expr: argument.expr });
  else if (argument && argument.expr.replace(/\s/g, '') !== '[]')
    found.push({ offset: argument.span.start, expr: 'an ingress = [...] argument, which cloudmend does not edit' });
  return found.map(({ offset, expr }) => ({
    messageId: 'unknownRules',
    data: { rule: resource.address, expr },
    resource: resource.address,
    offset,
    fixable: false,
    kind: 'violation',
  }));
}

interface Read {
  readonly reading: RuleReading;
  readonly families: Partial<Record<Family, { attr: HclAttribute; items?: ListItem[] }>>;
}

function read(module: TfModule, resource: TfResource, rule: TfRule, entry: PublicEntry | undefined): Read {
  const body = rule.block.body;
  const families: Read['families'] = {};
  const sources: RuleReading['families'] = {};
  for (const family of ['ipv4', 'ipv6'] as const) {
    const f = readFamily(module, rule, family);
    if (!f) continue;
    families[family] = f.items ? { attr: f.attr, items: f.items } : { attr: f.attr };
    sources[family] = f.sources;
  }
  const exprs = [rule.shape.protocol, 'from_port', 'to_port'].map((n) => `${n} = ${attribute(body, n)?.expr ?? 'unset'}`);
  return {
    families,
    reading: {
      label: rule.label,
      resource: resource.address,
      offset: rule.block.span.start,
      protocol: protocolOf(attrValue(module, body, rule.shape.protocol)),
      from: portOf(attrValue(module, body, 'from_port')),
      to: portOf(attrValue(module, body, 'to_port')),
      portsExpr: exprs.join(', '),
      families: sources,
      otherSources: hasOtherSource(module, rule),
      multiSource: rule.shape.list,
      entry,
      rewriteBlocked: rule.shape !== INLINE && (entry?.ports.length ?? 0) > 1 ? ONE_PORT : undefined,
    },
  };
}

/**
 * The rule on `ports` (TCP, one port each) with its sources unchanged: an inline block becomes one
 * block per port, a rule resource (one port only) is edited in place.
 */
function listenerEdits(resource: TfResource, rule: TfRule, ports: readonly number[]): TextEdit[] | undefined {
  const { file } = resource;
  const { block } = rule;
  const on = (port: number): TextEdit[] => [
    setAttribute(file, block, rule.shape.protocol, '"tcp"'),
    setAttribute(file, block, 'from_port', String(port)),
    setAttribute(file, block, 'to_port', String(port)),
  ];
  if (rule.shape !== INLINE) return ports.length === 1 ? on(ports[0] ?? 0) : undefined;
  const copy = (port: number): string => {
    const edits = on(port);
    const grown = edits.reduce((n, e) => n + e.text.length - (e.end - e.start), 0);
    return applyEdits(file.text, edits).slice(block.span.start, block.span.end + grown);
  };
  const indent = file.text.slice(lineStart(file.text, block.span.start), block.span.start);
  return [{ file: file.path, start: block.span.start, end: block.span.end, text: ports.map(copy).join(`\n\n${indent}`) }];
}

/** Copies of a one-CIDR rule resource for the allowed CIDRs after the first, named `<name>_2`... */
function copies(module: TfModule, resource: TfResource, attr: HclAttribute, cidrs: readonly string[]): TextEdit[] | undefined {
  const text = resource.file.text;
  const { start, end } = resource.block.span;
  const names = cidrs.map((_, i) => `${resource.name}_${i + 2}`);
  if (names.some((n) => module.resources.some((r) => r.type === resource.type && r.name === n))) return undefined;
  const header = text.slice(start, resource.block.open);
  const label = header.lastIndexOf(`"${resource.name}"`);
  return cidrs.map((cidr, i) => {
    const copy = `${header.slice(0, label)}"${names[i] ?? ''}"${text.slice(start + label + resource.name.length + 2, attr.exprSpan.start)}${hclString(cidr)}${text.slice(attr.exprSpan.end, end)}`;
    return insertAfter(resource.file, resource.block, copy);
  });
}

/** Edits for one plan, or undefined when the layout makes it unsafe (then the finding is not fixable). */
function planEdits(module: TfModule, resource: TfResource, rule: TfRule, r: Read, p: Plan): TextEdit[] | undefined {
  if (p.action === 'listeners') return listenerEdits(resource, rule, p.entry.ports);
  const f = r.families[p.family];
  const sources = r.reading.families[p.family];
  if (!f || !sources) return undefined;
  const { attr, items } = f;
  if (!items) return undefined;
  const open = items.flatMap((item, i) => (openFamily(classify(module, item.text).cidr ?? '') ? [i] : []));
  const to = p.action === 'narrow' ? p.to : [];
  if (!r.reading.multiSource) {
    const [first, ...rest] = to;
    const block = resource.block;
    const extra = first === undefined ? [] : copies(module, resource, attr, rest);
    return first === undefined || !extra ? undefined : [setAttribute(resource.file, block, attr.name, hclString(first)), ...extra];
  }
  if (to.length === 0 && open.length === items.length) return [removeAttribute(resource.file, attr)];
  return replaceItems(resource.file, attr, items, open, to.map(hclString));
}

/** Every finding of a Terraform resource, fixable ones with their edits ready. */
export function findingsOf(
  module: TfModule,
  resource: TfResource,
  options: SkillOptions,
): { finding: Finding; edits?: TextEdit[]; note?: string }[] {
  const entry = tfPublicEntry(module, resource);
  return rulesOf(module, resource).flatMap((rule) => {
    const r = read(module, resource, rule, entry);
    return judgeRule(r.reading, options).map((finding) => {
      if (!finding.plan) return { finding };
      const edits = planEdits(module, resource, rule, r, finding.plan);
      if (edits) return { finding, edits, note: planNote(rule.label, finding, finding.plan, entry) };
      const remedy = r.reading.multiSource ? SHARED_LINE : NAME_TAKEN;
      const data = { ...finding.violation.data, remedy };
      return { finding: { ...finding, plan: undefined, violation: { ...finding.violation, data, fixable: false } } };
    });
  });
}
