/**
 * The verdict on one ingress rule, whatever the IaC: given its protocol, ports and sources (each
 * open, known-closed or unknown), which violations to report and, for each open source, what the
 * narrowing fix should put in its place. Terraform and CloudFormation differ only in how they read
 * a rule and edit it.
 */
import type { SkillOptions, Violation } from '../types.js';
import type { PublicEntry } from './load-balancer.js';
import { exposure, listPorts, OPEN_CIDR, type Exposure, type Family, type Protocol } from './ports.js';

/** One family's sources as read from the code. */
export interface FamilySources {
  /** Open CIDRs as written (`0.0.0.0/0`, `10.0.0.1/0`). */
  readonly open: readonly string[];
  /** CIDRs that are not open (kept as they are). */
  readonly kept: readonly string[];
  /** Whether some source cannot be evaluated; `expr` names it. */
  readonly unknown: boolean;
  readonly expr: string;
  /** Where to point people (the attribute or property). */
  readonly offset: number;
  /** Why the fix cannot edit these sources here, if it cannot (a sentence starting with a space). */
  readonly blocked?: string | undefined;
}

export interface RuleReading {
  /** `aws_security_group.web ingress #1`, `WebGroup SecurityGroupIngress #2`. */
  readonly label: string;
  readonly resource: string;
  readonly offset: number;
  /** Undefined when the protocol cannot be evaluated; ports undefined when they cannot. */
  readonly protocol: Protocol | undefined;
  readonly from: number | undefined;
  readonly to: number | undefined;
  /** The expression behind ports or protocol cannot be evaluated. */
  readonly portsExpr: string;
  readonly families: Partial<Record<Family, FamilySources>>;
  /** Sources other than CIDRs (security groups, prefix lists, self) the rule keeps. */
  readonly otherSources: boolean;
  /** Whether a rule here can hold several sources (Terraform lists) or exactly one (CloudFormation, VPC rules). */
  readonly multiSource: boolean;
  /** The internet-facing load balancers the rule's group fronts: their listener ports must stay open. */
  readonly entry?: PublicEntry | undefined;
  /** Why the rule cannot be rewritten to listener ports here, if it cannot (a sentence starting with a space). */
  readonly rewriteBlocked?: string | undefined;
}

/** What the fix does to one open family. */
export type Plan =
  | { readonly action: 'narrow'; readonly family: Family; readonly to: readonly string[] }
  | { readonly action: 'drop'; readonly family: Family }
  /** An all-traffic rule in front of a load balancer: the same sources, on its listener ports (TCP) only. */
  | { readonly action: 'listeners'; readonly family: Family; readonly entry: PublicEntry };

export interface Finding {
  readonly violation: Violation;
  readonly plan?: Plan | undefined;
  readonly exposure?: Exposure | undefined;
}

const NO_ALLOW_LIST = ' No allowedIngressCidrs are configured, so cloudmend does not narrow it.';
const NO_OTHER_SOURCE =
  ' With no allowedIngressIpv6Cidrs configured, narrowing means removing ::/0, which would leave the rule without a source: remove or narrow the rule by hand.';

function allowedFor(family: Family, options: SkillOptions): readonly string[] {
  return family === 'ipv4' ? options.allowedIngressCidrs : options.allowedIngressIpv6Cidrs;
}

/** Whether a source of `family` remains once the fix is applied. */
function remains(reading: RuleReading, family: Family, options: SkillOptions): boolean {
  const f = reading.families[family];
  if (!f) return false;
  return f.kept.length > 0 || f.unknown || (f.open.length > 0 && allowedFor(family, options).length > 0);
}

/** The rule's sources are only open CIDRs: rewriting its ports changes nothing for anyone else. */
function onlyOpen(reading: RuleReading): boolean {
  const families = Object.values(reading.families);
  return !reading.otherSources && families.every((f) => f.kept.length === 0 && !f.unknown && f.open.length > 0);
}

function balancers(entry: PublicEntry): string {
  return `internet-facing load balancer ${entry.balancers.join(', ')}`;
}

/**
 * In front of an internet-facing load balancer, never cut it off: an all-ports rule becomes its
 * listener ports, and a rule on listener ports is left for a person (the control may authorize them).
 */
function entryPlan(reading: RuleReading, family: Family, f: FamilySources): { plan?: Plan; remedy: string } | undefined {
  const entry = reading.entry;
  if (!entry) return undefined;
  const lo = Math.min(reading.from ?? 0, reading.to ?? 0);
  const hi = Math.max(reading.from ?? 0, reading.to ?? 0);
  const allPorts = reading.protocol === 'all' || (lo <= 1 && hi >= 65535);
  const listening = entry.ports.filter((p) => p >= lo && p <= hi);
  if (allPorts) {
    const why = f.blocked ?? reading.rewriteBlocked;
    if (why !== undefined || !onlyOpen(reading)) {
      const ports = entry.ports.join(', ');
      return {
        remedy: `${why ?? ' The rule has other sources too.'} It fronts ${balancers(entry)}: open only its listener ports (${ports}) to the internet, by hand.`,
      };
    }
    return { plan: { action: 'listeners', family, entry }, remedy: '' };
  }
  if (listening.length === 0) return undefined;
  return {
    remedy:
      ` TCP ${listening.join(', ')} is a listener port of ${balancers(entry)}: closing it to the internet takes the load balancer offline, ` +
      'so cloudmend leaves the rule for a person (EC2.18 accepts ports listed in its authorizedTcpPorts parameter).',
  };
}

function plan(reading: RuleReading, family: Family, f: FamilySources, options: SkillOptions): { plan?: Plan; remedy: string } {
  const forEntry = entryPlan(reading, family, f);
  if (forEntry) return forEntry;
  if (f.blocked !== undefined) return { remedy: f.blocked };
  if (options.allowedIngressCidrs.length === 0) return { remedy: NO_ALLOW_LIST };
  const allowed = allowedFor(family, options);
  if (allowed.length > 0) return { plan: { action: 'narrow', family, to: allowed.filter((c) => !f.kept.includes(c)) }, remedy: '' };
  const other: Family = family === 'ipv4' ? 'ipv6' : 'ipv4';
  const keepsSource = reading.multiSource && (f.kept.length > 0 || f.unknown || remains(reading, other, options) || reading.otherSources);
  return keepsSource ? { plan: { action: 'drop', family }, remedy: '' } : { remedy: NO_OTHER_SOURCE };
}

/** The violations of one rule, with the fix plan of each fixable one. */
export function judgeRule(reading: RuleReading, options: SkillOptions): Finding[] {
  const families = (['ipv4', 'ipv6'] as const).flatMap((family) => {
    const f = reading.families[family];
    return f ? [{ family, f }] : [];
  });
  const base = { resource: reading.resource, kind: 'violation' as const };
  if (reading.protocol === 'other') return [];
  if (reading.protocol === undefined || ((reading.from === undefined || reading.to === undefined) && reading.protocol !== 'all')) {
    // Neither ports nor sources known: still reported, for a person to decide.
    return families.flatMap(({ f }): Finding[] => {
      if (f.open.length > 0)
        return [
          {
            violation: {
              ...base,
              messageId: 'unknownPorts',
              data: { rule: reading.label, source: f.open.join(', '), expr: reading.portsExpr },
              offset: reading.offset,
              fixable: false,
            },
          },
        ];
      if (!f.unknown) return [];
      const ports = `ports it cannot evaluate (${reading.portsExpr})`;
      const data = { rule: reading.label, ports, expr: f.expr };
      return [{ violation: { ...base, messageId: 'unknownSource', data, offset: f.offset, fixable: false } }];
    });
  }
  const exp = exposure(reading.protocol, reading.from ?? 0, reading.to ?? 0);
  if (!exp) return [];
  return families.flatMap(({ family, f }): Finding[] => {
    const findings: Finding[] = [];
    if (f.unknown) {
      findings.push({
        violation: {
          ...base,
          messageId: 'unknownSource',
          data: { rule: reading.label, ports: exp.ports, expr: f.expr },
          offset: f.offset,
          fixable: false,
        },
      });
    }
    if (f.open.length > 0) {
      const { plan: p, remedy } = plan(reading, family, f, options);
      const data = {
        rule: reading.label,
        source: f.open.join(', '),
        ports: exp.ports,
        risky: listPorts(exp.risky),
        controls: exp.controls.join(', '),
        remedy,
      };
      const messageId = exp.risky.length > 0 ? 'highRiskPort' : 'unauthorizedPort';
      findings.push({ violation: { ...base, messageId, data, offset: f.offset, fixable: p !== undefined }, plan: p, exposure: exp });
    }
    return findings;
  });
}

/** The pull-request sentence for one applied plan. */
export function planNote(label: string, finding: Finding, p: Plan, entry?: PublicEntry): string {
  const ports = finding.exposure ? ` (${finding.exposure.ports})` : '';
  const from = finding.violation.data?.source ?? OPEN_CIDR[p.family];
  if (p.action === 'listeners') {
    const listeners = `TCP ${p.entry.ports.join(', ')} (${p.entry.from})`;
    const fronts = `its group fronts ${balancers(p.entry)}`;
    return `${label} opened${ports} to ${from}; ${fronts}, so the rule now opens only its listener port(s) ${listeners} and closes every other port to the internet.`;
  }
  // In front of a load balancer, say what was left alone.
  const fronts = entry
    ? ` Only this rule's ports were narrowed: the group fronts ${balancers(entry)}, whose listener port(s) ${entry.ports.join(', ')} stay open.`
    : '';
  if (p.action === 'drop') return `Removed ${from} from ${label}${ports}; its other sources stay.${fronts}`;
  return `Narrowed ${label}${ports} from ${from} to ${p.to.length > 0 ? p.to.join(', ') : 'the allowed CIDRs it already lists'}.${fronts}`;
}

/** Findings of `all` that answer one of `violations` (the fixable ones the engine hands back). */
export function selected(all: readonly Finding[], violations: readonly Violation[]): Finding[] {
  const keys = new Set(violations.map((v) => `${v.messageId}@${v.offset}`));
  return all.filter((f) => f.plan && keys.has(`${f.violation.messageId}@${f.violation.offset}`));
}
