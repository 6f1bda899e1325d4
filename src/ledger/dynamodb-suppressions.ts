/**
 * Suppressions of the DynamoDB ledger: one item per key, replaced only by a decision at least as
 * new as the stored one, in one transaction with its `suppression.set` audit event. The item's TTL
 * is its `until`; DynamoDB deletes lazily (often days later), so every read still checks `until`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { LedgerBusyError, cancellationCodes } from './dynamodb-errors.js';
import { nextSeq } from './dynamodb-findings.js';
import { auditItem, suppressionItem, toSuppression, type SuppressionItem } from './dynamodb-items.js';
import { suppressionKey, type LedgerTable } from './dynamodb-schema.js';
import type { Suppression } from './port.js';
import { checkSuppression, isSuppressionKey, suppressionEventData } from './validation.js';

/** Transaction conflicts in a row before giving up with `LedgerBusyError`, as for findings. */
const MAX_ATTEMPTS = 10;

/** `stale`: a newer decision is stored. `contended`: another transaction held the item. */
type Outcome = 'written' | 'stale' | 'contended';

async function commit(t: LedgerTable, suppression: Suppression): Promise<Outcome> {
  const seq = await nextSeq(t);
  const event = {
    fingerprint: suppression.fingerprint,
    type: 'suppression.set',
    actor: suppression.actor,
    at: suppression.at,
    data: suppressionEventData(suppression),
  };
  try {
    await t.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: t.name,
              Item: suppressionItem(suppression),
              // The newest decision wins; equal times go to the later call, as in SQLite.
              ConditionExpression: 'attribute_not_exists(pk) OR #at <= :at',
              ExpressionAttributeNames: { '#at': 'at' },
              ExpressionAttributeValues: { ':at': suppression.at.toISOString() },
            },
          },
          { Put: { TableName: t.name, Item: auditItem(event, seq, t.ttlDays), ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    return 'written';
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[1] === 'ConditionalCheckFailed') {
      throw new Error(`ledger invariant broken: audit seq ${seq} of table ${t.name} is already used`, { cause: error });
    }
    if (codes?.[0] === 'ConditionalCheckFailed') return 'stale';
    if (codes?.includes('TransactionConflict')) return 'contended';
    throw error;
  }
}

/** Creates or replaces the suppression of its key unless a newer one is stored; see `Ledger.suppress`. */
export async function putSuppression(t: LedgerTable, suppression: Suppression): Promise<void> {
  checkSuppression(suppression);
  for (let attempt = 1; ; attempt++) {
    const outcome = await commit(t, suppression);
    if (outcome !== 'contended') return;
    if (attempt >= MAX_ATTEMPTS) {
      throw new LedgerBusyError(
        `the suppression of ${suppression.key} kept changing during ${MAX_ATTEMPTS} attempts to write it in table ${t.name}; retry`,
        { ...(suppression.fingerprint === undefined ? {} : { fingerprint: suppression.fingerprint }) },
      );
    }
    await sleep(Math.random() * Math.min(500, 10 * 2 ** attempt));
  }
}

/** The suppression of `key` in force at `at`, read strongly consistent; expired items may linger. */
export async function activeSuppression(t: LedgerTable, key: string, at: Date): Promise<Suppression | undefined> {
  if (!isSuppressionKey(key)) return undefined;
  const { Item } = await t.doc.send(new GetCommand({ TableName: t.name, Key: suppressionKey(key), ConsistentRead: true }));
  const item = Item as SuppressionItem | undefined;
  // ISO-8601 UTC text of the same width compares as time, as `until > @at` does in SQLite.
  return item !== undefined && item.until > at.toISOString() ? toSuppression(item) : undefined;
}
