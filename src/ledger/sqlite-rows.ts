/**
 * Row shapes of the SQLite ledger and their conversion to the port's records. Dates are stored as
 * ISO-8601 UTC strings with milliseconds (they sort as text), objects as JSON text.
 */
import { LedgerUnavailableError } from './errors.js';
import type {
  ApprovalRecord,
  ApprovalStatus,
  FindingRecord,
  FindingSummary,
  PullRequestRecord,
  StoredAuditEvent,
  SmokeRun,
  Suppression,
} from './port.js';
import { isFindingState } from './states.js';

export interface FindingRow {
  readonly fingerprint: string;
  readonly state: string;
  readonly version: number;
  readonly attempts: number;
  readonly summary: string;
  readonly reason: string | null;
  readonly data: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly updated_by: string;
}

export interface ApprovalRow {
  readonly id: string;
  readonly fingerprint: string;
  readonly task_token: string;
  readonly requested_at: string;
  readonly expires_at: string;
  readonly channel: string | null;
  readonly message_ts: string | null;
  readonly status: ApprovalStatus;
  readonly decided_at: string | null;
  readonly decided_by: string | null;
  /** Added by migration 3: NULL in rows decided before it, and for plain approvals. */
  readonly choice: string | null;
}

export interface SuppressionRow {
  readonly key: string;
  readonly until: string;
  readonly actor: string;
  readonly at: string;
  readonly reason: string;
  readonly fingerprint: string | null;
}

export interface SmokeRunRow {
  readonly run_id: string;
  readonly repository: string;
  readonly by: string;
  readonly started_at: string;
  readonly expires_at: string;
}

export interface AuditRow {
  readonly seq: number;
  readonly fingerprint: string | null;
  readonly type: string;
  readonly actor: string;
  readonly at: string;
  readonly data: string | null;
}

/** A `Date` as stored: UTC, millisecond precision. Throws `RangeError` for an invalid date. */
export function isoDate(date: Date): string {
  return date.toISOString();
}

/** `undefined` becomes SQL NULL; anything else JSON text. */
export function jsonOrNull(value: Record<string, unknown> | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function parseObject(text: string | null): Record<string, unknown> | undefined {
  return text === null ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

/** Convert a stored finding; a state this code does not know means a newer writer touched the file. */
export function toFindingRecord(row: FindingRow, path: string): FindingRecord {
  const { state } = row;
  if (!isFindingState(state)) {
    throw new LedgerUnavailableError(
      `the ledger at ${path} holds finding ${row.fingerprint} in state "${state}", ` + 'unknown to this cloudmend; upgrade cloudmend',
      { fingerprint: row.fingerprint },
    );
  }
  return {
    fingerprint: row.fingerprint,
    state,
    version: row.version,
    attempts: row.attempts,
    summary: JSON.parse(row.summary) as FindingSummary,
    reason: row.reason ?? undefined,
    data: parseObject(row.data),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    updatedBy: row.updated_by,
  };
}

/** Convert a stored approval, task token included (callers must never log it). */
export function toApprovalRecord(row: ApprovalRow): ApprovalRecord {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    taskToken: row.task_token,
    requestedAt: new Date(row.requested_at),
    expiresAt: new Date(row.expires_at),
    channel: row.channel ?? undefined,
    messageTs: row.message_ts ?? undefined,
    status: row.status,
    decidedAt: row.decided_at === null ? undefined : new Date(row.decided_at),
    decidedBy: row.decided_by ?? undefined,
    choice: row.choice ?? undefined,
  };
}

export function toSuppression(row: SuppressionRow): Suppression {
  return {
    key: row.key,
    until: new Date(row.until),
    actor: row.actor,
    at: new Date(row.at),
    reason: row.reason,
    fingerprint: row.fingerprint ?? undefined,
  };
}

export function toAuditEvent(row: AuditRow): StoredAuditEvent {
  return {
    seq: row.seq,
    fingerprint: row.fingerprint ?? undefined,
    type: row.type,
    actor: row.actor,
    at: new Date(row.at),
    data: parseObject(row.data),
  };
}

export interface PullRequestRow {
  readonly id: string;
  readonly fingerprint: string;
  readonly repository: string;
  readonly branch: string;
  readonly base: string;
  readonly title: string;
  readonly body: string;
  readonly commit_sha: string;
  readonly url: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export function toPullRequestRecord(row: PullRequestRow): PullRequestRecord {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    repository: row.repository,
    branch: row.branch,
    base: row.base,
    title: row.title,
    body: row.body,
    commit: row.commit_sha,
    url: row.url ?? undefined,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export function toSmokeRun(row: SmokeRunRow): SmokeRun {
  return {
    runId: row.run_id,
    repository: row.repository,
    by: row.by,
    startedAt: new Date(row.started_at),
    expiresAt: new Date(row.expires_at),
  };
}
