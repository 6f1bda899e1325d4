/**
 * Batching: a burst (a standard enabled, thousands of findings imported at once, each delivered
 * more than once) becomes one workflow execution, and one pull request, per (repository, control)
 * instead of one per finding. Pure: the caller collects events for a window and starts the
 * executions this plans.
 *
 * - Findings cloudmend would remediate with a skill are grouped by repository and control; a
 *   group becomes a "cloudmend Findings Batch" event holding the original events, cut down to the
 *   group's findings. Redeliveries (the same fingerprint again) are dropped here.
 * - Everything else (skips, drift, findings without a skill, rejected events) passes through as
 *   its own event, cut down to the findings not batched, and runs as before.
 * - A group is cut into batches of at most `maxFindings` findings and `maxBytes` of events: what
 *   one Normalize reads and handles (100 real findings are 3–6 KB each, tags and details). The
 *   caller stores a batch's events and starts its execution with their key
 *   (src/workflow/stored.ts). A finding too large to share a batch runs on its own event.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.js';
import type { Finding } from '../findings/finding.js';
import { explainEvent } from '../policy/explain.js';
import { skillsOfKind } from '../skills/registry.js';
import { EXECUTION_INPUT_BUDGET_BYTES, jsonBytes } from '../state-size.js';
import { BATCH_DETAIL_TYPE, type BatchDetail } from './batch-event.js';

export interface BatchOptions {
  /** Findings per batch at most. */
  readonly maxFindings: number;
  /** A batch's events at most (bytes of JSON). @default EXECUTION_INPUT_BUDGET_BYTES */
  readonly maxBytes?: number;
  /** Whether a skill fixes `controlId` in `repository` (only those are batched). */
  readonly batchable: (controlId: string, repository: string) => boolean;
  /** When the window closed: its day is part of the batch id. */
  readonly now: Date;
}

export interface BatchPlan {
  /** One execution each: batches, then the events that pass through. */
  readonly executions: readonly unknown[];
  /** For each execution, the indexes of the input events it holds findings of: what to retry if it cannot start. */
  readonly sources: readonly (readonly number[])[];
  readonly batches: number;
  readonly passthrough: number;
  /** Findings dropped as redeliveries of one already planned. */
  readonly duplicates: number;
  /** Distinct (repository, control) groups batched. */
  readonly groups: number;
}

type Envelope = Record<string, unknown> & { id?: string; account?: string; region?: string; time?: string; detail?: unknown };

/** `event` holding only the findings at `indexes` of `detail.findings` (other kinds hold one finding and stay whole). */
function cutDown(event: Envelope, indexes: readonly number[]): Envelope {
  const detail = event.detail as { findings?: unknown[] } | undefined;
  if (!Array.isArray(detail?.findings)) return event;
  return { ...event, detail: { ...detail, findings: indexes.map((i) => detail.findings![i]) } };
}

interface Planned {
  readonly event: Envelope;
  /** Index of the event in the input. */
  readonly source: number;
  readonly finding: Finding;
}

function byEvent(planned: readonly Planned[]): { event: Envelope; source: number }[] {
  const events = new Map<Envelope, { source: number; indexes: number[] }>();
  for (const { event, source, finding } of planned)
    events.set(event, { source, indexes: [...(events.get(event)?.indexes ?? []), finding.raw.index ?? 0] });
  return [...events].map(([event, { source, indexes }]) => ({ event: cutDown(event, indexes), source }));
}

/** What a member adds to a batch's input: its finding, and its event's envelope the first time that event is in the batch. */
function memberBytes(member: Planned, envelopes: Set<Envelope>): number {
  const findings = (member.event.detail as { findings?: unknown[] } | undefined)?.findings;
  const own = Array.isArray(findings) ? jsonBytes(findings[member.finding.raw.index ?? 0]) : jsonBytes(member.event);
  if (!Array.isArray(findings) || envelopes.has(member.event)) return own + 1;
  envelopes.add(member.event);
  return own + jsonBytes(cutDown(member.event, [])) + 1;
}

/** A group's batches, each at most `maxFindings` findings and `maxBytes` of input; a member too large to share one runs alone. */
function cutByBudget(members: readonly Planned[], maxFindings: number, maxBytes: number): { cuts: Planned[][]; alone: Planned[] } {
  // The batch envelope (ids, repository, control) is small; this leaves room for it.
  const budget = maxBytes - 1_000;
  const cuts: Planned[][] = [];
  const alone: Planned[] = [];
  let current: Planned[] = [];
  let envelopes = new Set<Envelope>();
  let bytes = 0;
  for (const member of members) {
    if (memberBytes(member, new Set()) > budget) {
      alone.push(member);
      continue;
    }
    let size = memberBytes(member, envelopes);
    if (current.length >= maxFindings || bytes + size > budget) {
      cuts.push(current);
      current = [];
      envelopes = new Set();
      bytes = 0;
      size = memberBytes(member, envelopes);
    }
    current.push(member);
    bytes += size;
  }
  if (current.length > 0) cuts.push(current);
  return { cuts, alone };
}

export function planBatches(events: readonly unknown[], config: Config, options: BatchOptions): BatchPlan {
  const seen = new Set<string>();
  const groups = new Map<string, { repository: string; controlId: string; members: Planned[] }>();
  const loose: Planned[] = [];
  const whole: { input: unknown; source: number }[] = [];
  let duplicates = 0;
  for (const [source, input] of events.entries()) {
    const explained = explainEvent(input, config);
    if (explained.error !== undefined || explained.findings.length === 0) {
      // Rejected or empty: the workflow records why, as it always has.
      whole.push({ input, source });
      continue;
    }
    const event = input as Envelope;
    for (const { finding, decision } of explained.findings) {
      if (seen.has(finding.fingerprint)) {
        duplicates++;
        continue;
      }
      seen.add(finding.fingerprint);
      const { controlId } = finding;
      if (decision.code === 'remediate' && controlId !== undefined && options.batchable(controlId, decision.repository)) {
        const key = `${decision.repository}\u0000${controlId}`;
        const group = groups.get(key) ?? { repository: decision.repository, controlId, members: [] };
        group.members.push({ event, source, finding });
        groups.set(key, group);
      } else {
        loose.push({ event, source, finding });
      }
    }
  }
  const batches: unknown[] = [];
  const sources: number[][] = [];
  for (const [key, group] of groups) {
    const { cuts, alone } = cutByBudget(group.members, options.maxFindings, options.maxBytes ?? EXECUTION_INPUT_BUDGET_BYTES);
    loose.push(...alone);
    for (const members of cuts) {
      // Named by what it holds and the day: an SQS batch delivered again starts nothing new, and
      // the same findings can run again tomorrow if today's run failed.
      const content = members.map((m) => m.finding.fingerprint).join(',');
      const batchId = createHash('sha256')
        .update(`${key}\u0000${options.now.toISOString().slice(0, 10)}\u0000${content}`)
        .digest('hex')
        .slice(0, 16);
      const first = members[0]!.event;
      const detail: BatchDetail = {
        batchId,
        repository: group.repository,
        controlId: group.controlId,
        events: byEvent(members).map((e) => e.event),
      };
      batches.push({
        version: '0',
        id: `batch-${batchId}`,
        'detail-type': BATCH_DETAIL_TYPE,
        source: 'cloudmend',
        account: first.account,
        region: first.region,
        time: options.now.toISOString(),
        resources: [],
        detail,
      });
      sources.push([...new Set(members.map((m) => m.source))]);
    }
  }
  const passthrough = [...byEvent(loose), ...whole.map((w) => ({ event: w.input, source: w.source }))];
  return {
    executions: [...batches, ...passthrough.map((p) => p.event)],
    sources: [...sources, ...passthrough.map((p) => [p.source])],
    batches: batches.length,
    passthrough: passthrough.length,
    duplicates,
    groups: groups.size,
  };
}

/** Whether a skill fixes a control in a repository of `config`: what `planBatches` batches. */
export async function skillCoverage(config: Config): Promise<BatchOptions['batchable']> {
  const kinds = new Map<string, Set<string>>();
  for (const repo of config.repositories) {
    if (repo.iac === 'cdk') continue;
    kinds.set(repo.name, new Set((await skillsOfKind(repo.iac)).flatMap((s) => s.meta.controls)));
  }
  return (controlId, repository) => kinds.get(repository)?.has(controlId) ?? false;
}
