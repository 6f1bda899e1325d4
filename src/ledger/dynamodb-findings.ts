/**
 * Finding writes of the DynamoDB ledger: claim, recordSkip, transition and retry.
 *
 * Each write reads the finding (strongly consistent), decides as the SQLite adapter does, then
 * commits one `TransactWriteItems`: the finding `Put` on condition that it is still at the version
 * and in one of the states it was read in (or still absent), and its audit event `Put`. The read
 * supplies what the audit event records (previous state, attempts); the version condition makes
 * the pair a compare-and-set, so a lost race re-reads and decides again, never overwrites.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LedgerNotFoundError, movedError } from './errors.js';
import { LedgerBusyError, cancellationCodes } from './dynamodb-errors.js';
import { auditItem, findingItem, toFindingRecord, type FindingItem } from './dynamodb-items.js';
import { AUDIT_COUNTER_KEY, findingKey, type LedgerTable } from './dynamodb-schema.js';
import type { AuditEvent, ClaimInput, ClaimResult, FindingRecord, SkipInput, SkipResult, TransitionInput } from './port.js';
import { summaryAfter } from './validation.js';
import { RECLAIMABLE_STATES, isReclaimable, type FindingState } from './states.js';

/** Lost races and transaction conflicts in a row before giving up with `LedgerBusyError`. */
const MAX_ATTEMPTS = 10;

export async function getFinding(table: LedgerTable, fingerprint: string): Promise<FindingRecord | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.name, Key: findingKey(fingerprint), ConsistentRead: true }));
  return Item === undefined ? undefined : toFindingRecord(Item as FindingItem, table.name);
}

/**
 * The next audit sequence number: an atomic `ADD` on the counter item. It cannot be part of the
 * write's transaction (TransactWriteItems returns no values, and the number is the event's key), so
 * it is taken just before each commit attempt: numbers are unique and increasing in the order they
 * are taken, and a write that loses its race leaves a gap.
 */
export async function nextSeq(table: LedgerTable): Promise<number> {
  const { Attributes } = await table.doc.send(
    new UpdateCommand({
      TableName: table.name,
      Key: AUDIT_COUNTER_KEY,
      UpdateExpression: 'ADD #seq :one',
      ExpressionAttributeNames: { '#seq': 'seq' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return (Attributes as { seq: number }).seq;
}

/** What to do given the finding as read: answer without writing, or write `record` and `event`. */
type Step<R> =
  | { readonly write: false; readonly result: R }
  | {
      readonly write: true;
      readonly record: FindingRecord;
      readonly event: AuditEvent;
      readonly result: (written: FindingRecord) => R;
    };

/** `lost`: the finding changed since it was read. `contended`: another transaction held it. */
type Commit = 'written' | 'lost' | 'contended';

/** Write the finding and its audit event in one transaction, if the finding is still as read. */
async function commit(
  table: LedgerTable,
  current: FindingRecord | undefined,
  allowed: readonly FindingState[],
  step: Extract<Step<unknown>, { write: true }>,
): Promise<Commit> {
  const seq = await nextSeq(table);
  const guard =
    current === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          ConditionExpression: `#version = :version AND #state IN (${allowed.map((_, i) => `:s${i}`).join(', ')})`,
          ExpressionAttributeNames: { '#version': 'version', '#state': 'state' },
          ExpressionAttributeValues: Object.fromEntries([
            [':version', current.version],
            ...allowed.map((state, i) => [`:s${i}`, state]),
          ]) as Record<string, unknown>,
        };
  try {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table.name, Item: findingItem(step.record), ...guard } },
          // The condition keeps history append-only, should the counter ever go backwards.
          {
            Put: {
              TableName: table.name,
              Item: auditItem(step.event, seq, table.ttlDays),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    return 'written';
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[1] === 'ConditionalCheckFailed') {
      throw new Error(`ledger invariant broken: audit seq ${seq} of table ${table.name} is already used`, { cause: error });
    }
    if (codes?.[0] === 'ConditionalCheckFailed') return 'lost';
    if (codes?.includes('TransactionConflict')) return 'contended';
    throw error;
  }
}

/** Read, decide, compare-and-set; again while other writers win the race, up to `MAX_ATTEMPTS`. */
async function writeFinding<R>(
  table: LedgerTable,
  fingerprint: string,
  allowed: readonly FindingState[],
  decide: (current: FindingRecord | undefined) => Step<R>,
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    const current = await getFinding(table, fingerprint);
    const step = decide(current);
    if (!step.write) return step.result;
    const outcome = await commit(table, current, allowed, step);
    if (outcome === 'written') return step.result(toFindingRecord(findingItem(step.record), table.name));
    if (attempt >= MAX_ATTEMPTS) {
      throw new LedgerBusyError(
        `finding ${fingerprint} kept changing during ${MAX_ATTEMPTS} attempts to write it in table ${table.name}; retry`,
        { fingerprint },
      );
    }
    // Another transaction holds the item: back off with jitter. A lost condition re-reads at once.
    if (outcome === 'contended') await sleep(Math.random() * Math.min(500, 10 * 2 ** attempt));
  }
}

/** The record after a claim or skip of `input` over `current`. */
function replacement(
  current: FindingRecord | undefined,
  input: ClaimInput,
  state: FindingState,
  attempts: number,
  reason: string | undefined,
): FindingRecord {
  return {
    fingerprint: input.fingerprint,
    state,
    version: (current?.version ?? 0) + 1,
    attempts,
    summary: input.summary,
    reason,
    data: undefined,
    createdAt: current?.createdAt ?? input.at,
    updatedAt: input.at,
    updatedBy: input.actor,
  };
}

export function claimFinding(table: LedgerTable, input: ClaimInput): Promise<ClaimResult> {
  return writeFinding(table, input.fingerprint, RECLAIMABLE_STATES, (current): Step<ClaimResult> => {
    if (current !== undefined && !isReclaimable(current.state)) return { write: false, result: { claimed: false, record: current } };
    const attempts = (current?.attempts ?? 0) + 1;
    return {
      write: true,
      record: replacement(current, input, 'claimed', attempts, undefined),
      event: {
        fingerprint: input.fingerprint,
        type: 'claimed',
        actor: input.actor,
        at: input.at,
        data: { attempts, ...(current === undefined ? {} : { from: current.state }) },
      },
      result: (record) => ({ claimed: true, record }),
    };
  });
}

export function skipFinding(table: LedgerTable, input: SkipInput): Promise<SkipResult> {
  return writeFinding(table, input.fingerprint, RECLAIMABLE_STATES, (current): Step<SkipResult> => {
    if (current !== undefined && !isReclaimable(current.state)) return { write: false, result: { recorded: false, record: current } };
    return {
      write: true,
      record: replacement(current, input, 'skipped', current?.attempts ?? 0, input.reason),
      event: {
        fingerprint: input.fingerprint,
        type: 'skip',
        actor: input.actor,
        at: input.at,
        data: { reason: input.reason, ...(current === undefined ? {} : { from: current.state }) },
      },
      result: (record) => ({ recorded: true, record }),
    };
  });
}

/** Moves a finding from one of `from` to `input.to`, with an audit event of `type` (`transition`, `retry`). */
export function transitionFinding(
  table: LedgerTable,
  input: TransitionInput,
  from: readonly FindingState[],
  type = 'transition',
): Promise<FindingRecord> {
  const { fingerprint, to } = input;
  return writeFinding(table, fingerprint, from, (current): Step<FindingRecord> => {
    if (current === undefined) throw new LedgerNotFoundError(fingerprint);
    if (!from.includes(current.state)) throw movedError(fingerprint, current, from);
    return {
      write: true,
      record: {
        ...current,
        state: to,
        summary: summaryAfter(current.summary, input),
        version: current.version + 1,
        reason: input.reason,
        data: input.data,
        updatedAt: input.at,
        updatedBy: input.actor,
      },
      event: {
        fingerprint,
        type,
        actor: input.actor,
        at: input.at,
        data: { from: current.state, to, reason: input.reason, data: input.data },
      },
      result: (record) => record,
    };
  });
}
