/**
 * Item shapes of the DynamoDB ledger and their conversion to the port's records. Dates are ISO-8601
 * UTC strings with milliseconds; `summary` and `data` are maps. Both go through a JSON round trip
 * first, so what is stored (and read back) is exactly what the SQLite adapter keeps as JSON text;
 * one difference remains: DynamoDB refuses an empty string as a map key (a ValidationException).
 */
import { LedgerUnavailableError } from './errors.js';
import type {
  ApprovalRecord,
  ApprovalStatus,
  AuditEvent,
  FindingRecord,
  FindingSummary,
  NewApproval,
  PullRequestRecord,
  SmokeRun,
  StoredAuditEvent,
  Suppression,
} from './port.js';
import {
  ALL_APPROVALS,
  ALL_FINDINGS,
  approvalKey,
  approvalStatusIndexKey,
  auditKey,
  findingKey,
  smokeRunKey,
  stateIndexKey,
  suppressionKey,
  timeSortKey,
} from './dynamodb-schema.js';
import { isFindingState } from './states.js';

/** `type` aliases, not interfaces: the DocumentClient wants records with an index signature. */
export type FindingItem = {
  pk: string;
  sk: string;
  gsi1pk: string;
  gsi1sk: string;
  gsi2pk: string;
  gsi2sk: string;
  fingerprint: string;
  state: string;
  version: number;
  attempts: number;
  summary: FindingSummary;
  reason?: string | undefined;
  data?: Record<string, unknown> | undefined;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
};

export type ApprovalItem = {
  pk: string;
  sk: string;
  gsi1pk: string;
  gsi1sk: string;
  gsi2pk: string;
  gsi2sk: string;
  id: string;
  fingerprint: string;
  taskToken: string;
  requestedAt: string;
  /** The approval's `expiresAt`; that attribute name is the table's TTL (epoch seconds). */
  deadline: string;
  channel?: string | undefined;
  messageTs?: string | undefined;
  status: ApprovalStatus;
  decidedAt?: string | undefined;
  decidedBy?: string | undefined;
  /** Set with the decision, absent for plain approvals. */
  choice?: string | undefined;
  expiresAt?: number | undefined;
};

export type SuppressionItem = {
  pk: string;
  sk: string;
  key: string;
  until: string;
  actor: string;
  at: string;
  reason: string;
  fingerprint?: string | undefined;
  /** TTL: `until` in epoch seconds, rounded up, so DynamoDB never drops it while in force. */
  expiresAt: number;
};

export type SmokeRunItem = {
  pk: string;
  sk: string;
  runId: string;
  repository: string;
  by: string;
  startedAt: string;
  /** The run's `expiresAt`; that attribute name is the table's TTL (epoch seconds). */
  deadline: string;
  /** TTL: the run's end in epoch seconds, rounded up; DynamoDB drops the item some time after it. */
  expiresAt: number;
};

export type AuditItem = {
  pk: string;
  sk: string;
  seq: number;
  fingerprint?: string | undefined;
  type: string;
  actor: string;
  at: string;
  data?: Record<string, unknown> | undefined;
  expiresAt: number;
};

export type PullRequestItem = {
  id: string;
  fingerprint: string;
  repository: string;
  branch: string;
  base: string;
  title: string;
  body: string;
  commit: string;
  url?: string | undefined;
  createdAt: string;
  updatedAt: string;
};

/** What JSON keeps of `value`: no `undefined`, dates as strings; the SQLite adapter's semantics. */
function jsonCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** The TTL of an item written at `at`: `ttlDays` later, in epoch seconds. */
export function ttlFrom(at: Date, ttlDays: number): number {
  return Math.floor(at.getTime() / 1000) + Math.round(ttlDays * 86_400);
}

/** The full finding item for a record about to be written. */
export function findingItem(record: FindingRecord): FindingItem {
  const updatedAt = record.updatedAt.toISOString();
  return {
    ...findingKey(record.fingerprint),
    gsi1pk: stateIndexKey(record.state),
    gsi1sk: timeSortKey(updatedAt, record.fingerprint),
    gsi2pk: ALL_FINDINGS,
    gsi2sk: timeSortKey(updatedAt, record.fingerprint),
    fingerprint: record.fingerprint,
    state: record.state,
    version: record.version,
    attempts: record.attempts,
    summary: jsonCopy(record.summary),
    reason: record.reason,
    data: jsonCopy(record.data),
    createdAt: record.createdAt.toISOString(),
    updatedAt,
    updatedBy: record.updatedBy,
  };
}

/** Convert a stored finding; a state this code does not know means a newer writer touched the table. */
export function toFindingRecord(item: FindingItem, table: string): FindingRecord {
  const { state } = item;
  if (!isFindingState(state)) {
    throw new LedgerUnavailableError(
      `the DynamoDB ledger table ${table} holds finding ${item.fingerprint} in state "${state}", ` +
        'unknown to this cloudmend; upgrade cloudmend',
      { fingerprint: item.fingerprint },
    );
  }
  return {
    fingerprint: item.fingerprint,
    state,
    version: item.version,
    attempts: item.attempts,
    summary: item.summary,
    reason: item.reason,
    data: item.data,
    createdAt: new Date(item.createdAt),
    updatedAt: new Date(item.updatedAt),
    updatedBy: item.updatedBy,
  };
}

export function newApprovalItem(approval: NewApproval): ApprovalItem {
  const requestedAt = approval.requestedAt.toISOString();
  return {
    ...approvalKey(approval.id),
    gsi1pk: approvalStatusIndexKey('pending'),
    gsi1sk: timeSortKey(requestedAt, approval.id),
    gsi2pk: ALL_APPROVALS,
    gsi2sk: timeSortKey(requestedAt, approval.id),
    id: approval.id,
    fingerprint: approval.fingerprint,
    taskToken: approval.taskToken,
    requestedAt,
    deadline: approval.expiresAt.toISOString(),
    channel: approval.channel,
    messageTs: approval.messageTs,
    status: 'pending',
  };
}

/** Convert a stored approval, task token included (callers must never log it). */
export function toApprovalRecord(item: ApprovalItem): ApprovalRecord {
  return {
    id: item.id,
    fingerprint: item.fingerprint,
    taskToken: item.taskToken,
    requestedAt: new Date(item.requestedAt),
    expiresAt: new Date(item.deadline),
    channel: item.channel,
    messageTs: item.messageTs,
    status: item.status,
    decidedAt: item.decidedAt === undefined ? undefined : new Date(item.decidedAt),
    decidedBy: item.decidedBy,
    choice: item.choice,
  };
}

export function suppressionItem(suppression: Suppression): SuppressionItem {
  return {
    ...suppressionKey(suppression.key),
    key: suppression.key,
    until: suppression.until.toISOString(),
    actor: suppression.actor,
    at: suppression.at.toISOString(),
    reason: suppression.reason,
    fingerprint: suppression.fingerprint,
    expiresAt: Math.ceil(suppression.until.getTime() / 1000),
  };
}

export function toSuppression(item: SuppressionItem): Suppression {
  return {
    key: item.key,
    until: new Date(item.until),
    actor: item.actor,
    at: new Date(item.at),
    reason: item.reason,
    fingerprint: item.fingerprint,
  };
}

export function smokeRunItem(run: SmokeRun): SmokeRunItem {
  return {
    ...smokeRunKey(run.runId),
    runId: run.runId,
    repository: run.repository,
    by: run.by,
    startedAt: run.startedAt.toISOString(),
    deadline: run.expiresAt.toISOString(),
    expiresAt: Math.ceil(run.expiresAt.getTime() / 1000),
  };
}

export function toSmokeRun(item: SmokeRunItem): SmokeRun {
  return {
    runId: item.runId,
    repository: item.repository,
    by: item.by,
    startedAt: new Date(item.startedAt),
    expiresAt: new Date(item.deadline),
  };
}

export function auditItem(event: AuditEvent, seq: number, ttlDays: number): AuditItem {
  return {
    ...auditKey(event.fingerprint, seq),
    seq,
    fingerprint: event.fingerprint,
    type: event.type,
    actor: event.actor,
    at: event.at.toISOString(),
    data: jsonCopy(event.data),
    expiresAt: ttlFrom(event.at, ttlDays),
  };
}

export function toAuditEvent(item: AuditItem): StoredAuditEvent {
  return {
    seq: item.seq,
    fingerprint: item.fingerprint,
    type: item.type,
    actor: item.actor,
    at: new Date(item.at),
    data: item.data,
  };
}

export function toPullRequestRecord(item: PullRequestItem): PullRequestRecord {
  return {
    id: item.id,
    fingerprint: item.fingerprint,
    repository: item.repository,
    branch: item.branch,
    base: item.base,
    title: item.title,
    body: item.body,
    commit: item.commit,
    url: item.url,
    createdAt: new Date(item.createdAt),
    updatedAt: new Date(item.updatedAt),
  };
}
