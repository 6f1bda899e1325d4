/**
 * What people read about one finding beyond its record, wherever they read it (`cloudmend status`
 * and `show`, the console of `cloudmend serve`): what the model agent spent on it, and its pull requests.
 */
import type { FindingRecord, Ledger, PullRequestRecord, StoredAuditEvent } from '../ledger/port.js';

/** What the model agent spent on a finding: the sum of its `model.usage` audit events (one per agent run). */
export interface FindingModelUsage {
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Input and output tokens together. */
  readonly tokens: number;
  /** The models that ran, in the order they first did. */
  readonly models: readonly string[];
}

/** The newest string value of `key` that a transition of `trail` recorded in its data (an artifact, an approval id, a repository). */
export function latestRecorded(trail: readonly StoredAuditEvent[], key: string): string | undefined {
  for (let i = trail.length - 1; i >= 0; i--) {
    const data = trail[i]!.data?.data;
    const value = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** The model usage recorded in `trail` (a finding's audit trail), or undefined when no model ran. */
export function modelUsageIn(trail: readonly StoredAuditEvent[]): FindingModelUsage | undefined {
  const runs = trail.filter((e) => e.type === 'model.usage').map((e) => e.data ?? {});
  if (runs.length === 0) return undefined;
  const sum = (key: string): number => runs.reduce((n, d) => n + (typeof d[key] === 'number' ? d[key] : 0), 0);
  const [inputTokens, outputTokens] = [sum('inputTokens'), sum('outputTokens')];
  const models = [...new Set(runs.flatMap((d) => (typeof d.model === 'string' ? [d.model] : [])))];
  return { calls: sum('calls'), inputTokens, outputTokens, tokens: inputTokens + outputTokens, models };
}

/** Model usage over many findings: the agent's total spend (`status`, the console). */
export interface UsageTotals extends Omit<FindingModelUsage, 'models'> {
  /** How many findings a model worked on. */
  readonly findings: number;
  readonly models: readonly string[];
}

/** The sum of `used`, one entry per finding a model worked on. */
export function usageTotals(used: readonly FindingModelUsage[]): UsageTotals {
  const sum = (key: 'calls' | 'inputTokens' | 'outputTokens' | 'tokens'): number => used.reduce((n, u) => n + u[key], 0);
  return {
    calls: sum('calls'),
    inputTokens: sum('inputTokens'),
    outputTokens: sum('outputTokens'),
    tokens: sum('tokens'),
    findings: used.length,
    models: [...new Set(used.flatMap((u) => u.models))],
  };
}

/** What the model agent spent on the finding `fingerprint`, from its audit trail. */
export async function modelUsageOf(ledger: Ledger, fingerprint: string): Promise<FindingModelUsage | undefined> {
  return modelUsageIn(await ledger.auditTrail(fingerprint));
}

/** The pull requests a finding opened, and the one that holds its fix now (a change of several findings is recorded under its first). */
export async function pullRequestsOf(ledger: Ledger, record: FindingRecord): Promise<PullRequestRecord[]> {
  const own = await ledger.pullRequestsFor(record.fingerprint);
  const current = record.data?.pullRequest;
  if (typeof current !== 'string' || own.some((p) => p.id === current)) return own;
  const holding = await ledger.getPullRequest(current);
  return holding ? [...own, holding] : own;
}
