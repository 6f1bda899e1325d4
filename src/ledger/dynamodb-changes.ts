/**
 * Changes in the DynamoDB ledger: a change item per pull request and, for each resource of an open
 * change, an open-change item pointing at it (layout: dynamodb-schema.ts; rules: changes.ts). A
 * write is one `TransactWriteItems`: the change on condition that it is still at the version read,
 * each pointer on condition that it points nowhere or already at this change. Closing a change
 * empties its pointers (puts only: the ledger's role may not delete). A lost race reads again, so a
 * resource taken meanwhile by another change is refused as in SQLite. A change covers at most 99
 * resources (100 items per transaction).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { closedChange, recordedChange, toChangeRecord, type ChangeItem } from './changes.js';
import { LedgerBusyError, cancellationCodes } from './dynamodb-errors.js';
import { changeKey, openChangeKey, type LedgerTable } from './dynamodb-schema.js';
import type { ChangeInput, ChangeRecord, CloseChangeInput } from './port.js';

/** Lost races in a row before giving up with `LedgerBusyError`, as for findings. */
const MAX_ATTEMPTS = 10;

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

async function getChange(t: LedgerTable, pullRequestId: string): Promise<ChangeItem | undefined> {
  const { Item } = await t.doc.send(new GetCommand({ TableName: t.name, Key: changeKey(pullRequestId), ConsistentRead: true }));
  // The key attributes ride along; toChangeRecord reads only the change's own.
  return Item as ChangeItem | undefined;
}

async function holderOf(t: LedgerTable, repository: string, resource: string): Promise<string | undefined> {
  const { Item } = await t.doc.send(new GetCommand({ TableName: t.name, Key: openChangeKey(repository, resource), ConsistentRead: true }));
  return (Item as { pullRequestId?: string } | undefined)?.pullRequestId;
}

/** The change put on condition that it is still as read (`read` undefined: still absent). */
function putChange(t: LedgerTable, next: ChangeItem, read: ChangeItem | undefined): TransactItem {
  return {
    Put: {
      TableName: t.name,
      Item: { ...changeKey(next.pullRequestId), ...next },
      ...(read === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': read.version } }),
    },
  };
}

/** A pointer is written only where it points nowhere (absent, or emptied by a close) or at this change. */
function putPointer(t: LedgerTable, repository: string, resource: string, id: string, pointAt: boolean): TransactItem {
  return {
    Put: {
      TableName: t.name,
      Item: { ...openChangeKey(repository, resource), ...(pointAt ? { pullRequestId: id } : {}) },
      ConditionExpression: 'attribute_not_exists(pullRequestId) OR pullRequestId = :id',
      ExpressionAttributeValues: { ':id': id },
    },
  };
}

/** Writes `items` at once; false when a condition failed or another transaction held an item: read again. */
async function commit(t: LedgerTable, items: TransactItem[]): Promise<boolean> {
  try {
    await t.doc.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict')) return false;
    throw error;
  }
}

/** Runs `attempt` until it writes; each try reads afresh. */
async function untilWritten<T>(t: LedgerTable, pullRequestId: string, attempt: () => Promise<{ written: boolean; value: T }>): Promise<T> {
  for (let tries = 1; ; tries++) {
    const { written, value } = await attempt();
    if (written) return value;
    if (tries >= MAX_ATTEMPTS) {
      throw new LedgerBusyError(
        `the change of pull request ${pullRequestId} kept changing during ${MAX_ATTEMPTS} attempts to write it in table ${t.name}; retry`,
      );
    }
    await sleep(Math.random() * Math.min(500, 10 * 2 ** tries));
  }
}

export async function openChangeFor(t: LedgerTable, repository: string, resource: string): Promise<ChangeRecord | undefined> {
  const id = await holderOf(t, repository, resource);
  const item = id === undefined ? undefined : await getChange(t, id);
  return item?.state === 'open' ? toChangeRecord(item) : undefined;
}

export function recordChange(t: LedgerTable, input: ChangeInput): Promise<ChangeRecord> {
  return untilWritten(t, input.pullRequestId, async () => {
    const current = await getChange(t, input.pullRequestId);
    const holders = new Map<string, string>();
    for (const resource of new Set(input.resources)) {
      const id = await holderOf(t, input.repository, resource);
      if (id !== undefined) holders.set(resource, id);
    }
    const next = recordedChange(current, input, holders);
    const pointers = next.resources.map((resource) => putPointer(t, next.repository, resource, next.pullRequestId, true));
    return { written: await commit(t, [putChange(t, next, current), ...pointers]), value: toChangeRecord(next) };
  });
}

export function closeChange(t: LedgerTable, input: CloseChangeInput): Promise<ChangeRecord | undefined> {
  return untilWritten(t, input.pullRequestId, async () => {
    const current = await getChange(t, input.pullRequestId);
    if (current === undefined) return { written: true, value: undefined };
    const next = closedChange(current, input);
    if (next === current) return { written: true, value: toChangeRecord(current) };
    const pointers = current.resources.map((resource) => putPointer(t, current.repository, resource, current.pullRequestId, false));
    return { written: await commit(t, [putChange(t, next, current), ...pointers]), value: toChangeRecord(next) };
  });
}
