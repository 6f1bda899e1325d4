/**
 * Batching: a burst (a standard enabled, thousands of findings imported at once, each delivered
 * more than once) becomes a few workflow executions per repository instead of one per finding.
 * Pure: the caller collects events for a window and starts the executions this plans.
 *
 * - Findings cloudmend would remediate with a skill are grouped by repository, whatever their
 *   control; a group becomes "cloudmend Findings Batch" events holding the original events, cut
 *   down to the batch's findings. Redeliveries (the same fingerprint again) are dropped here.
 * - One resource's findings (S3.4, S3.5 and S3.8 on one bucket; EC2.13/18/19 on one group) stay in
 *   one batch, so the workflow can fix them in one change: a resource is its key
 *   (`resourceKeyOf`, the ARN where known). Only a resource whose findings alone exceed a batch
 *   is cut, into batches of its own (counted in `split`); the ledger's open change for the
 *   resource then brings the later ones onto the same pull request.
 * - Everything else (skips, drift, findings without a skill, a smoke test's finding, rejected
 *   events) passes through as its own event, cut down to the findings not batched, and runs as
 *   before: a smoke test's execution is named after its event's id (EventBridge's, which
 *   `PutEvents` answered `cloudmend smoke`), so the smoke test can follow it.
 * - A group is cut into batches of at most `maxFindings` findings and `maxBytes` of events: what
 *   one Normalize reads and handles (100 real findings are 3–6 KB each, tags and details). The
 *   caller stores a batch's events and starts its execution with their key
 *   (src/workflow/stored.ts). A finding too large to share a batch runs on its own event.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.js';
import type { Finding } from '../findings/finding.js';
import { resourceKeyOf } from '../findings/resource-identity.js';
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
  /** Distinct repositories batched. */
  readonly groups: number;
  /** Resources whose findings alone exceed a batch, cut across batches of their own. */
  readonly split: number;
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

/** `unit`'s bytes added to a batch that already holds `envelopes` (left as it is). */
function unitBytes(unit: readonly Planned[], envelopes: ReadonlySet<Envelope>): number {
  const seen = new Set(envelopes);
  return unit.reduce((sum, member) => sum + memberBytes(member, seen), 0);
}

interface Cuts {
  readonly cuts: Planned[][];
  /** Members too large to share a batch: each runs on its own event. */
  readonly alone: Planned[];
  readonly split: number;
}

/**
 * A group's batches, each at most `maxFindings` findings and `maxBytes` of input, from its
 * resources' members (`units`): a resource goes whole into one batch, unless it alone exceeds one.
 */
function cutByBudget(units: readonly (readonly Planned[])[], maxFindings: number, maxBytes: number): Cuts {
  // The batch envelope (ids, repository, control) is small; this leaves room for it.
  const budget = maxBytes - 1_000;
  const cuts: Planned[][] = [];
  const alone: Planned[] = [];
  let split = 0;
  let current: Planned[] = [];
  let envelopes = new Set<Envelope>();
  let bytes = 0;
  const close = (): void => {
    if (current.length > 0) cuts.push(current);
    current = [];
    envelopes = new Set();
    bytes = 0;
  };
  const fits = (unit: readonly Planned[]): boolean =>
    current.length + unit.length <= maxFindings && bytes + unitBytes(unit, envelopes) <= budget;
  const add = (unit: readonly Planned[]): void => {
    for (const member of unit) {
      bytes += memberBytes(member, envelopes);
      current.push(member);
    }
  };
  for (const resource of units) {
    const unit = resource.filter((member) => memberBytes(member, new Set()) <= budget);
    alone.push(...resource.filter((member) => !unit.includes(member)));
    if (unit.length === 0) continue;
    if (!fits(unit)) close();
    if (fits(unit)) {
      add(unit);
      continue;
    }
    // One resource larger than a batch: the only split, into consecutive batches of its own.
    split++;
    for (const member of unit) {
      if (!fits([member])) close();
      add([member]);
    }
    close();
  }
  close();
  return { cuts, alone, split };
}

export function planBatches(events: readonly unknown[], config: Config, options: BatchOptions): BatchPlan {
  const seen = new Set<string>();
  // Repository → resource key → the resource's members, in the order first seen.
  const groups = new Map<string, Map<string, Planned[]>>();
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
      const batchable = decision.code === 'remediate' && controlId !== undefined && options.batchable(controlId, decision.repository);
      if (batchable && explained.kind !== 'smoke-test') {
        const resources = groups.get(decision.repository) ?? new Map<string, Planned[]>();
        const resource = resourceKeyOf(finding);
        resources.set(resource, [...(resources.get(resource) ?? []), { event, source, finding }]);
        groups.set(decision.repository, resources);
      } else {
        loose.push({ event, source, finding });
      }
    }
  }
  const batches: unknown[] = [];
  const sources: number[][] = [];
  let split = 0;
  for (const [repository, resources] of groups) {
    const cut = cutByBudget([...resources.values()], options.maxFindings, options.maxBytes ?? EXECUTION_INPUT_BUDGET_BYTES);
    loose.push(...cut.alone);
    split += cut.split;
    for (const members of cut.cuts) {
      // Named by what it holds and the day: an SQS batch delivered again starts nothing new, and
      // the same findings can run again tomorrow if today's run failed.
      const content = members.map((m) => m.finding.fingerprint).join(',');
      const batchId = createHash('sha256')
        .update(`${repository}\u0000${options.now.toISOString().slice(0, 10)}\u0000${content}`)
        .digest('hex')
        .slice(0, 16);
      const first = members[0]!.event;
      const detail: BatchDetail = {
        batchId,
        repository,
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
    split,
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
