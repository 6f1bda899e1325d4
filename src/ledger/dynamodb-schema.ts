/**
 * The single-table layout of the DynamoDB ledger: key schema, indexes and key builders.
 *
 * | item         | pk                       | sk                       | gsi1pk (byState)    | gsi2pk (byType) | gsi1sk, gsi2sk       |
 * | ------------ | ------------------------ | ------------------------ | ------------------- | --------------- | -------------------- |
 * | finding      | `finding#<fp>`           | `finding`                | `state#<state>`     | `finding`       | `<updatedAt>#<fp>`   |
 * | audit event  | `finding#<fp>` / `audit` | `audit#<seq, 16 digits>` |                     |                 |                      |
 * | approval     | `approval#<id>`          | `approval`               | `approval#<status>` | `approval`      | `<requestedAt>#<id>` |
 * | pull request | `pr#<id>`                | `pr`                     |                     | `pr#<fp>`       | `<createdAt>#<id>`   |
 * | seq counter  | `ledger`                 | `counter#audit`          |                     |                 |                      |
 * | suppression  | `suppression#<key>`      | `suppression`            |                     |                 |                      |
 * | change       | `change#<pr id>`         | `change`                 |                     |                 |                      |
 * | open change  | `open-change#<n>:<repository>#<resource>` | `open-change` |                 |                 |                      |
 * | smoke run    | `smoke-run#<run id>`     | `smoke-run`              |                     |                 |                      |
 *
 * Index sort keys start with a fixed-width ISO-8601 UTC time (24 characters for years 0000-9999),
 * so byte order (DynamoDB's string order) is time order, then id order, as in the SQLite adapter.
 * Audit events of no finding share the `audit` partition; they are rare (run-level notes).
 * A suppression's TTL is its `until`, a smoke run's its `expiresAt`: DynamoDB drops it some time after it ends (reads check `until`).
 * An open change item points from a resource to the change that covers it while that is open, and
 * is emptied (no `pullRequestId`) when it closes; `<n>` is the repository name's length, so no name
 * and resource pair reads as another. Read by key, it needs no index.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * What the CDK stack needs to create the ledger table. Names follow `aws-dynamodb.TableV2` props:
 * `type: 'S'` is `AttributeType.STRING`, `projectionType: 'ALL'` is `ProjectionType.ALL`. Billing
 * mode, encryption and point-in-time recovery are the stack's choice.
 */
export const LEDGER_TABLE_SCHEMA = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    {
      /** Findings by state and approvals by status (`list({ state })`, `listApprovals({ status })`). */
      indexName: 'byState',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
      projectionType: 'ALL',
    },
    {
      /** All findings, all approvals, and the pull requests of one finding. */
      indexName: 'byType',
      partitionKey: { name: 'gsi2pk', type: 'S' },
      sortKey: { name: 'gsi2sk', type: 'S' },
      projectionType: 'ALL',
    },
  ],
  /** Epoch seconds, set on audit events, decided approvals, suppressions and smoke runs only. */
  timeToLiveAttribute: 'expiresAt',
} as const;

export type LedgerIndexName = (typeof LEDGER_TABLE_SCHEMA.globalSecondaryIndexes)[number]['indexName'];

/** The primary key of an item. */
interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export const AUDIT_SK_PREFIX = 'audit#';
export const ALL_FINDINGS = 'finding';
export const ALL_APPROVALS = 'approval';

export function findingKey(fingerprint: string): ItemKey {
  return { pk: findingPartition(fingerprint), sk: 'finding' };
}

/** The partition holding a finding and its audit trail (or the shared one for events of no finding). */
export function findingPartition(fingerprint: string | undefined): string {
  return fingerprint === undefined ? 'audit' : `finding#${fingerprint}`;
}

export function auditKey(fingerprint: string | undefined, seq: number): ItemKey {
  // 16 digits hold every safe integer, so the text order of sort keys is numeric order.
  return { pk: findingPartition(fingerprint), sk: `${AUDIT_SK_PREFIX}${String(seq).padStart(16, '0')}` };
}

export function approvalKey(id: string): ItemKey {
  return { pk: `approval#${id}`, sk: 'approval' };
}

export function pullRequestKey(id: string): ItemKey {
  return { pk: `pr#${id}`, sk: 'pr' };
}

export function suppressionKey(key: string): ItemKey {
  return { pk: `suppression#${key}`, sk: 'suppression' };
}

export function changeKey(pullRequestId: string): ItemKey {
  return { pk: `change#${pullRequestId}`, sk: 'change' };
}

export function openChangeKey(repository: string, resource: string): ItemKey {
  return { pk: `open-change#${repository.length}:${repository}#${resource}`, sk: 'open-change' };
}

export function smokeRunKey(runId: string): ItemKey {
  return { pk: `smoke-run#${runId}`, sk: 'smoke-run' };
}

/** The item whose `seq` attribute is incremented (`ADD`) to number audit events. */
export const AUDIT_COUNTER_KEY: ItemKey = { pk: 'ledger', sk: 'counter#audit' };

export function stateIndexKey(state: string): string {
  return `state#${state}`;
}

export function approvalStatusIndexKey(status: string): string {
  return `approval#${status}`;
}

export function pullRequestsIndexKey(fingerprint: string): string {
  return `pr#${fingerprint}`;
}

/** An index sort key: an ISO time, then the id that breaks ties. */
export function timeSortKey(iso: string, id: string): string {
  return `${iso}#${id}`;
}

/** The open table a ledger works on. */
export interface LedgerTable {
  readonly doc: DynamoDBDocumentClient;
  readonly name: string;
  readonly ttlDays: number;
}
