/**
 * Smoke runs of the DynamoDB ledger: one item per run id, written only when absent. Its TTL is the
 * run's end; DynamoDB deletes lazily, so callers still compare `expiresAt`.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './dynamodb-errors.js';
import { smokeRunItem, toSmokeRun, type SmokeRunItem } from './dynamodb-items.js';
import { smokeRunKey, type LedgerTable } from './dynamodb-schema.js';
import type { SmokeRun } from './port.js';
import { checkSameSmokeRun, checkSmokeRun } from './validation.js';

/** The smoke run `runId`, read strongly consistent. */
export async function getSmokeRun(t: LedgerTable, runId: string): Promise<SmokeRun | undefined> {
  const { Item } = await t.doc.send(new GetCommand({ TableName: t.name, Key: smokeRunKey(runId), ConsistentRead: true }));
  return Item === undefined ? undefined : toSmokeRun(Item as SmokeRunItem);
}

/** Records `run` unless its id is stored; see `Ledger.recordSmokeRun`. */
export async function recordSmokeRun(t: LedgerTable, run: SmokeRun): Promise<void> {
  checkSmokeRun(run);
  try {
    await t.doc.send(new PutCommand({ TableName: t.name, Item: smokeRunItem(run), ConditionExpression: 'attribute_not_exists(pk)' }));
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    const stored = await getSmokeRun(t, run.runId);
    // Gone in between (TTL): the run had ended, and recording it again would only revive it.
    if (stored !== undefined) checkSameSmokeRun(stored, run);
  }
}
