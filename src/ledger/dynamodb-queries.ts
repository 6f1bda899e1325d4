/**
 * Reads that span items: findings newest first, approvals and pull requests oldest first, audit
 * trails. Index reads are eventually consistent (DynamoDB offers nothing else on a GSI), so a write
 * may take a moment to show in `list`, `listApprovals` and `pullRequestsFor`; reads by key are
 * strongly consistent.
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { toFindingRecord, type FindingItem } from './dynamodb-items.js';
import { ALL_FINDINGS, stateIndexKey, type LedgerIndexName, type LedgerTable } from './dynamodb-schema.js';
import type { FindingRecord } from './port.js';
import type { FindingState } from './states.js';

const INDEX_KEYS: Readonly<Record<LedgerIndexName, { readonly pk: string; readonly sk: string }>> = {
  byState: { pk: 'gsi1pk', sk: 'gsi1sk' },
  byType: { pk: 'gsi2pk', sk: 'gsi2sk' },
};

type Page = Pick<
  QueryCommandInput,
  'IndexName' | 'KeyConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues' | 'ConsistentRead'
>;

/**
 * The query for one index partition, in sort-key order; with `before`, only the items whose sort
 * key (an ISO time first) sorts below it: a key condition, so DynamoDB reads nothing else.
 */
export function indexPartition(index: LedgerIndexName, key: string, before?: string): Page {
  const { pk, sk } = INDEX_KEYS[index];
  const bounded = before !== undefined;
  return {
    IndexName: index,
    KeyConditionExpression: bounded ? '#pk = :pk AND #sk < :before' : '#pk = :pk',
    ExpressionAttributeNames: { '#pk': pk, ...(bounded ? { '#sk': sk } : {}) },
    ExpressionAttributeValues: { ':pk': key, ...(bounded ? { ':before': before } : {}) },
  };
}

/**
 * Read `query` page by page, oldest first unless `newestFirst`, until `enough(items)` says so or
 * the partition is exhausted.
 */
export async function queryItems<T>(
  table: LedgerTable,
  query: Page,
  options: { newestFirst?: boolean; pageSize?: number; enough?: (items: readonly T[]) => boolean } = {},
): Promise<T[]> {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new QueryCommand({
        TableName: table.name,
        ...query,
        ScanIndexForward: options.newestFirst !== true,
        Limit: options.pageSize,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as T[]));
    start = page.LastEvaluatedKey;
  } while (start !== undefined && options.enough?.(items) !== true);
  return items;
}

/** SQLite's order: `updated_at DESC, fingerprint` (byte order, as SQLite compares text). */
function newestFirst(a: FindingItem, b: FindingItem): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
  return Buffer.compare(Buffer.from(a.fingerprint), Buffer.from(b.fingerprint));
}

/**
 * The `limit` most recently updated findings, in all states or in `states`, updated before
 * `updatedBefore` if given. Each state is its own index partition, read newest first; a descending
 * index read orders ties on the update time by fingerprint descending, so each partition is read
 * until it has passed the `limit`-th item's time (every tie is in hand), then all are merged and
 * sorted the SQLite way. A sort key `<time>#<fp>` is below the bare `<time>` of `updatedBefore`
 * exactly when its time is earlier.
 */
export async function newestFindings(
  table: LedgerTable,
  states: readonly FindingState[] | undefined,
  limit: number,
  updatedBefore?: Date,
): Promise<FindingRecord[]> {
  if (limit === 0) return [];
  const before = updatedBefore?.toISOString();
  const partitions =
    states === undefined
      ? [indexPartition('byType', ALL_FINDINGS, before)]
      : [...new Set(states)].map((state) => indexPartition('byState', stateIndexKey(state), before));
  const enough = (items: readonly FindingItem[]): boolean => {
    const boundary = items[limit - 1];
    const last = items[items.length - 1];
    return boundary !== undefined && last !== undefined && last.updatedAt < boundary.updatedAt;
  };
  const pageSize = Math.min(limit + 1, 1000);
  const found = await Promise.all(partitions.map((p) => queryItems<FindingItem>(table, p, { newestFirst: true, pageSize, enough })));
  return found
    .flat()
    .sort(newestFirst)
    .slice(0, limit)
    .map((item) => toFindingRecord(item, table.name));
}
