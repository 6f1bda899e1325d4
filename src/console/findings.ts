/**
 * What the console shows of the ledger, read through the ledger port: findings as rows (with the
 * repository that owns each and what the model spent on it), one finding in full (history, pull
 * requests, the patch's diff) and the approvals waiting. Everything here is data for the page, which
 * shows it as text: titles, reasons, diffs and file names come from findings and repositories.
 */
import type { Artifacts } from '../artifacts/port.js';
import type { FindingRecord, Ledger, StoredAuditEvent } from '../ledger/port.js';
import { FINDING_STATES, type FindingState } from '../ledger/states.js';
import { actionsFor, type ApprovalAction, storedPatch } from '../approvals/choices.js';
import {
  type FindingModelUsage,
  latestRecorded,
  modelUsageIn,
  pullRequestsOf,
  type UsageTotals,
  usageTotals,
} from '../workflow/finding-reads.js';
import type { Patch } from '../workflow/types.js';

/** The most findings the console lists (newest first): a local ledger rarely holds more. */
export const MAX_LISTED = 500;

export interface FindingRow {
  readonly fingerprint: string;
  readonly state: FindingState;
  readonly reason?: string | undefined;
  readonly source: string;
  readonly controlId?: string | undefined;
  readonly title?: string | undefined;
  readonly severity?: string | undefined;
  readonly resource: string;
  /** The repository whose code the finding was located in, if it was. */
  readonly repository?: string | undefined;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly model?: FindingModelUsage | undefined;
}

export interface FindingFilter {
  readonly state?: FindingState | undefined;
  readonly control?: string | undefined;
  readonly repository?: string | undefined;
  /** Words looked for, case-insensitively, in the fingerprint, title, control, resource and reason. */
  readonly text?: string | undefined;
}

function rowOf(record: FindingRecord, trail: readonly StoredAuditEvent[]): FindingRow {
  const { summary } = record;
  return {
    fingerprint: record.fingerprint,
    state: record.state,
    reason: record.reason,
    source: summary.source,
    controlId: summary.controlId,
    title: summary.title,
    severity: summary.severity,
    resource: [summary.resourceType, summary.resourceId].filter(Boolean).join(' '),
    repository: latestRecorded(trail, 'repository'),
    updatedAt: record.updatedAt.toISOString(),
    updatedBy: record.updatedBy,
    model: modelUsageIn(trail),
  };
}

function matches(row: FindingRow, filter: FindingFilter): boolean {
  if (filter.state !== undefined && row.state !== filter.state) return false;
  if (filter.control !== undefined && row.controlId?.toLowerCase() !== filter.control.toLowerCase()) return false;
  if (filter.repository !== undefined && row.repository !== filter.repository) return false;
  const haystack = [row.fingerprint, row.title, row.controlId, row.resource, row.reason].join('\n').toLowerCase();
  const words = (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return words.every((word) => haystack.includes(word));
}

export interface FindingList {
  readonly findings: readonly FindingRow[];
  /** The values the filters can take, over every listed finding. */
  readonly facets: {
    readonly states: readonly FindingState[];
    readonly controls: readonly string[];
    readonly repositories: readonly string[];
  };
  readonly usage: UsageTotals;
  /** True when the ledger holds more than `MAX_LISTED` findings (the oldest are not listed). */
  readonly truncated: boolean;
}

/** The ledger's findings, newest first, that pass `filter`; facets and usage are over all of them. */
export async function listFindings(ledger: Ledger, filter: FindingFilter): Promise<FindingList> {
  const records = await ledger.list({ limit: MAX_LISTED + 1 });
  const listed = records.slice(0, MAX_LISTED);
  const rows = await Promise.all(listed.map(async (r) => rowOf(r, await ledger.auditTrail(r.fingerprint))));
  const distinct = (values: readonly (string | undefined)[]): string[] => [...new Set(values.flatMap((v) => v ?? []))].sort();
  const present = new Set(rows.map((r) => r.state));
  return {
    findings: rows.filter((row) => matches(row, filter)),
    facets: {
      states: FINDING_STATES.filter((s) => present.has(s)),
      controls: distinct(rows.map((r) => r.controlId)),
      repositories: distinct(rows.map((r) => r.repository)),
    },
    usage: usageTotals(rows.flatMap((r) => r.model ?? [])),
    truncated: records.length > MAX_LISTED,
  };
}

/** A pending approval as the console shows it: never its task token. */
export interface PendingApproval {
  readonly id: string;
  readonly fingerprint: string;
  readonly requestedAt: string;
  readonly expiresAt: string;
  /** A drift decision: codify, revert or ignore, rather than approve or reject. */
  readonly drift: boolean;
  /** The decisions it accepts (its buttons). */
  readonly actions: readonly ApprovalAction[];
  readonly finding?: FindingRow | undefined;
}

/** The finding's newest patch, if it has one and it can be read (a state directory cleaned by hand loses it). */
const readablePatch = (artifacts: Artifacts, trail: readonly StoredAuditEvent[]): Promise<Patch | undefined> =>
  storedPatch(artifacts, trail).catch(() => undefined);

/** The approvals waiting for a decision, oldest first, with their findings. */
export async function pendingApprovals(ledger: Ledger, artifacts: Artifacts): Promise<PendingApproval[]> {
  const pending = await ledger.listApprovals({ status: 'pending' });
  return Promise.all(
    pending.map(async (a) => {
      const [record, trail] = await Promise.all([ledger.get(a.fingerprint), ledger.auditTrail(a.fingerprint)]);
      return {
        id: a.id,
        fingerprint: a.fingerprint,
        requestedAt: a.requestedAt.toISOString(),
        expiresAt: a.expiresAt.toISOString(),
        ...actionsFor(await readablePatch(artifacts, trail)),
        finding: record ? rowOf(record, trail) : undefined,
      };
    }),
  );
}

/** The patch as the console shows it: its diff and how it was made and checked. */
export interface PatchView {
  readonly artifact: string;
  readonly diff?: string | undefined;
  readonly skill?: string | undefined;
  readonly model?: string | undefined;
  readonly files?: readonly string[] | undefined;
  readonly checks?: readonly { readonly name: string; readonly status: string; readonly detail?: string | undefined }[] | undefined;
  /** Set when the artifact cannot be read (a state directory cleaned by hand). */
  readonly error?: string | undefined;
}

function patchView(artifact: string | undefined, patch: Patch | undefined): PatchView | undefined {
  if (artifact === undefined) return undefined;
  if (!patch) return { artifact, error: `the patch ${artifact} cannot be read from the state directory's artifacts` };
  const checks = patch.validation.checks.map((c) => ({ name: c.name, status: c.status, detail: c.detail }));
  return { artifact, diff: patch.diff, skill: patch.skill, model: patch.model, files: patch.files.map((f) => f.path), checks };
}

/** One finding in full, or undefined when the ledger has no such fingerprint. */
export async function findingDetail(ledger: Ledger, artifacts: Artifacts, fingerprint: string) {
  const record = await ledger.get(fingerprint);
  if (!record) return undefined;
  const trail = await ledger.auditTrail(fingerprint);
  const approvalId = record.state === 'awaiting_approval' ? latestRecorded(trail, 'approvalId') : undefined;
  const approval = approvalId === undefined ? undefined : await ledger.getApproval(approvalId);
  const patch = await readablePatch(artifacts, trail);
  return {
    finding: {
      ...rowOf(record, trail),
      account: record.summary.account,
      region: record.summary.region,
      attempts: record.attempts,
      createdAt: record.createdAt.toISOString(),
    },
    history: trail.map((e) => ({
      seq: e.seq,
      at: e.at.toISOString(),
      type: e.type,
      actor: e.actor,
      from: typeof e.data?.from === 'string' ? e.data.from : undefined,
      to: typeof e.data?.to === 'string' ? e.data.to : undefined,
      reason: typeof e.data?.reason === 'string' ? e.data.reason : undefined,
      // A move's own data (pull request, artifact, approval id...); other events' data as recorded.
      data: e.type === 'transition' || e.type === 'retry' ? e.data?.data : e.data,
    })),
    pullRequests: (await pullRequestsOf(ledger, record)).map((p) => ({
      id: p.id,
      repository: p.repository,
      branch: p.branch,
      base: p.base,
      commit: p.commit,
      title: p.title,
      url: p.url,
      body: p.body,
      createdAt: p.createdAt.toISOString(),
    })),
    patch: patchView(latestRecorded(trail, 'artifact'), patch),
    approval:
      approval?.status === 'pending' ? { id: approval.id, expiresAt: approval.expiresAt.toISOString(), ...actionsFor(patch) } : undefined,
  };
}
