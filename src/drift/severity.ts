/**
 * The severity a drift deserves: a small table of security rules over the live-vs-declared
 * differences, each with its reason. A report no rule matches keeps the finding's own severity
 * (a changed tag or description is no more urgent than the event said). Only weakenings count:
 * the live resource must be less secure than its code for a rule to raise anything.
 */
import type { SeverityLabel } from '../findings/severity.js';
import { isObject, type Json } from './partial.js';
import { isPublicStatement } from './policy.js';
import type { Difference, DriftReport } from './types.js';

export interface DriftSeverity {
  readonly label: Extract<SeverityLabel, 'HIGH' | 'CRITICAL'>;
  /** The rules that matched, worded for the reviewer: `CRITICAL: ingress tcp 22 from 0.0.0.0/0 (world-open admin or database port)`. */
  readonly reasons: readonly string[];
}

interface SecurityRule {
  readonly label: DriftSeverity['label'];
  readonly why: string;
  readonly matches: (d: Difference) => boolean;
}

/** Ports whose exposure to the internet is an incident: remote administration and databases. */
const ADMIN_PORTS: readonly number[] = [22, 23, 3389, 5985, 5986, 1433, 1521, 2049, 3306, 5432, 5439, 6379, 9200, 9300, 11211, 27017];
/** Managed policies that grant (nearly) everything. */
const ADMIN_POLICY = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

const strings = (v: Json | undefined): string[] =>
  Array.isArray(v) ? v.filter((s) => typeof s === 'string') : typeof v === 'string' ? [v] : [];

interface Ingress {
  readonly protocol: Json | undefined;
  readonly peer: Json | undefined;
  /** Null: every port. */
  readonly from: number | null;
  readonly to: number | null;
}

const port = (v: Json | undefined): number | null =>
  typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null;

/**
 * A live ingress rule: `{ protocol, from, to, peer }` as the security group spec writes it, or
 * CloudFormation's drift detection's `/SecurityGroupIngress/2` with the rule (often as JSON text).
 */
function ingressOf(d: Difference): Ingress | undefined {
  if (d.path.startsWith('ingress[') && isObject(d.live))
    return { protocol: d.live.protocol, peer: d.live.peer, from: port(d.live.from), to: port(d.live.to) };
  if (!/SecurityGroupIngress/.test(d.path)) return undefined;
  let rule: Json = d.live;
  try {
    if (typeof rule === 'string') rule = JSON.parse(rule) as Json;
  } catch {
    return undefined;
  }
  if (!isObject(rule)) return undefined;
  const all = rule.IpProtocol === '-1' || rule.IpProtocol === -1;
  return {
    protocol: rule.IpProtocol,
    peer: rule.CidrIp ?? rule.CidrIpv6,
    from: all ? null : port(rule.FromPort),
    to: all ? null : port(rule.ToPort),
  };
}

/** A live ingress rule open to the internet. */
function worldOpenIngress(d: Difference): Ingress | undefined {
  const rule = ingressOf(d);
  return rule && (rule.peer === '0.0.0.0/0' || rule.peer === '::/0') ? rule : undefined;
}

function opensAdminPort(d: Difference): boolean {
  const open = worldOpenIngress(d);
  if (!open) return false;
  // All ports (protocol all, or no range) include every admin port.
  if (open.from === null || open.to === null) return true;
  return ADMIN_PORTS.some((p) => p >= (open.from ?? 0) && p <= (open.to ?? 0));
}

/** The statements a difference adds or widens live: a statement, or a whole document's. */
function liveStatements(d: Difference): Json[] {
  if (!isObject(d.live)) return [];
  const listed = d.live.Statement;
  return Array.isArray(listed) ? (listed as readonly Json[]).filter((s) => isObject(s)) : d.live.Effect !== undefined ? [d.live] : [];
}

const allows = (s: Json, key: string, value: string): boolean => isObject(s) && s.Effect === 'Allow' && strings(s[key]).includes(value);

/** The table: the first rule of each difference counts, the highest label wins. */
const RULES: readonly SecurityRule[] = [
  { label: 'CRITICAL', why: 'world-open ingress to an administration or database port', matches: opensAdminPort },
  { label: 'HIGH', why: 'world-open ingress', matches: (d) => worldOpenIngress(d) !== undefined },
  {
    label: 'CRITICAL',
    why: 'an IAM statement allowing every action or every principal (*)',
    matches: (d) => liveStatements(d).some((s) => allows(s, 'Action', '*') || isPublicStatement(s)),
  },
  {
    label: 'CRITICAL',
    why: 'an administrator managed policy attached',
    matches: (d) => d.path.startsWith('managedPolicyArns[') && typeof d.live === 'string' && ADMIN_POLICY.test(d.live),
  },
  {
    label: 'HIGH',
    why: 'an IAM statement on every resource (*)',
    matches: (d) => liveStatements(d).some((s) => allows(s, 'Resource', '*')),
  },
  { label: 'HIGH', why: 'wider IAM permissions', matches: (d) => d.category === 'iam' },
  { label: 'HIGH', why: 'the S3 public access block turned off', matches: (d) => d.path.startsWith('publicAccessBlock.') },
  { label: 'HIGH', why: 'a public endpoint', matches: (d) => d.path === 'publiclyAccessible' },
];

function describe(d: Difference): string {
  const open = worldOpenIngress(d);
  return open
    ? `ingress ${JSON.stringify(open.protocol)} ${open.from ?? 'all'}-${open.to ?? 'all'} from ${JSON.stringify(open.peer)}`
    : d.path;
}

/** The severity the report's security weakenings deserve; undefined when no rule matches (the finding's own severity stands). */
export function driftSeverity(report: DriftReport): DriftSeverity | undefined {
  const hits = report.differences.flatMap((d) => {
    const rule = d.weakens && d.class === 'security' ? RULES.find((r) => r.matches(d)) : undefined;
    return rule ? [{ rule, d }] : [];
  });
  if (hits.length === 0) return undefined;
  const label = hits.some((h) => h.rule.label === 'CRITICAL') ? 'CRITICAL' : 'HIGH';
  return { label, reasons: hits.map(({ rule, d }) => `${rule.label}: ${describe(d)} (${rule.why})`) };
}
