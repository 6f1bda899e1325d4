/**
 * Backfill: open Security Hub findings that no event brought (cloudmend was deployed after they
 * were imported, or an event was lost) are sent through the remediate workflow in batches. The
 * selection is the Imported trigger's own pattern, turned into GetFindings filters, so both paths
 * pick the same findings; Claim collapses any finding that already went through.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.js';
import { EVENT_KINDS } from '../findings/event-kinds.js';
import { EXECUTION_INPUT_BUDGET_BYTES } from '../state-size.js';
import { triggersFor } from './patterns.js';

/** A Security Hub `StringFilter` list per field, as GetFindings takes them. */
export type FindingFilters = Record<string, { Value: string; Comparison: 'EQUALS' }[]>;

/** Pattern paths under `detail.findings` and the GetFindings filter field for each. */
const FILTER_FIELDS: Readonly<Record<string, string>> = {
  'Compliance.Status': 'ComplianceStatus',
  RecordState: 'RecordState',
  'Workflow.Status': 'WorkflowStatus',
  'Severity.Label': 'SeverityLabel',
};

function leaves(node: unknown, path: string[] = []): [string, unknown[]][] {
  if (Array.isArray(node)) return [[path.join('.'), node]];
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [];
}

/** The Imported trigger's pattern as GetFindings filters; a pattern field with no filter is an error. */
export function backfillFilters(config: Pick<Config, 'triggers'>): FindingFilters {
  const imported = triggersFor(config).find((t) => t.kind === 'securityhub-imported');
  const findings = (imported?.pattern.detail as { findings?: unknown } | undefined)?.findings;
  const filters: FindingFilters = {};
  for (const [path, values] of leaves(findings)) {
    const field = FILTER_FIELDS[path];
    if (!field || !values.every((v) => typeof v === 'string'))
      throw new Error(`the Imported trigger's pattern field ${path} has no GetFindings filter`);
    filters[field] = values.map((Value) => ({ Value, Comparison: 'EQUALS' }));
  }
  return filters;
}

export interface BackfillBatch {
  /**
   * Execution name: the same findings in the same state give the same name and the same input,
   * so starting it again is a no-op (or ExecutionAlreadyExists once it has finished).
   */
  readonly name: string;
  /** A "Security Hub Findings - Imported" event carrying the batch. */
  readonly event: Record<string, unknown>;
}

export interface BatchOptions {
  readonly account: string;
  readonly region: string;
  readonly now: Date;
  /** @default 50 */
  readonly maxFindings?: number;
  /** Step Functions takes 256 KiB of input; the rest is headroom. @default EXECUTION_INPUT_BUDGET_BYTES */
  readonly maxBytes?: number;
}

/**
 * Splits findings into events small enough for one execution each. A finding too large for any
 * execution on its own is returned in `oversized` (by Id) for the caller to report.
 */
export function backfillBatches(
  findings: readonly Record<string, unknown>[],
  options: BatchOptions,
): { batches: BackfillBatch[]; oversized: string[] } {
  const maxFindings = options.maxFindings ?? 50;
  const maxBytes = options.maxBytes ?? EXECUTION_INPUT_BUDGET_BYTES;
  const batches: Record<string, unknown>[][] = [];
  let current: Record<string, unknown>[] = [];
  let bytes = 0;
  const oversized: string[] = [];
  for (const finding of findings) {
    const size = Buffer.byteLength(JSON.stringify(finding));
    if (size > maxBytes) {
      oversized.push(typeof finding.Id === 'string' ? finding.Id : JSON.stringify(finding.Id));
      continue;
    }
    if (current.length >= maxFindings || bytes + size > maxBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(finding);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  const { source, detailType } = EVENT_KINDS['securityhub-imported'];
  const named = batches.map((batch) => {
    const hash = createHash('sha256');
    for (const f of batch) hash.update(`${JSON.stringify(f.Id)}\0${JSON.stringify(f.UpdatedAt)}\0`);
    const digest = hash.digest('hex').slice(0, 40);
    return {
      name: `backfill-${digest}`,
      event: {
        version: '0',
        id: `cloudmend-backfill-${digest}`,
        'detail-type': detailType,
        source,
        account: options.account,
        // The batch's own latest update, not the clock: the same batch is the same input.
        time:
          batch
            .map((f) => (typeof f.UpdatedAt === 'string' ? f.UpdatedAt : ''))
            .sort()
            .at(-1) || options.now.toISOString(),
        region: options.region,
        resources: [],
        detail: { findings: batch },
      },
    };
  });
  return { batches: named, oversized };
}
