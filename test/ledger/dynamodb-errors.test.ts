/** Failures at the SDK boundary (aws-sdk-client-mock): what the DynamoDB ledger makes of them. */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ResourceNotFoundException,
  ThrottlingException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LedgerBusyError, dynamoDbLedger } from '../../src/ledger/dynamodb.js';
import { findingItem } from '../../src/ledger/dynamodb-items.js';
import { LedgerConflictError, LedgerNotFoundError, LedgerUnavailableError } from '../../src/ledger/errors.js';
import type { FindingRecord, Ledger } from '../../src/ledger/port.js';
import type { FindingState } from '../../src/ledger/states.js';
import { T0, catchError, claimOf, errorText, later, move, summary } from './ledger-helpers.js';

const ddb = mockClient(DynamoDBDocumentClient);
const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const $metadata = {};
const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAA' + 'x'.repeat(2000);

/** The stored item of `fp` in `state` at `version`. */
function stored(state: FindingState, version: number): { Item: Record<string, unknown> } {
  const record: FindingRecord = {
    fingerprint: 'fp',
    state,
    version,
    attempts: 1,
    summary,
    createdAt: T0,
    updatedAt: T0,
    updatedBy: 'other',
  };
  return { Item: findingItem(record) };
}

function cancelled(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata,
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

describe('DynamoDB ledger at the SDK boundary', () => {
  let ledger: Ledger;
  let seq: number;

  beforeEach(() => {
    ddb.reset();
    seq = 0;
    ddb.on(UpdateCommand, { Key: { pk: 'ledger', sk: 'counter#audit' } }).callsFake(() => ({ Attributes: { seq: ++seq } }));
    ledger = dynamoDbLedger({ tableName: 'ledger-table', client });
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => ddb.restore());

  describe('throttling, 5xx and contention', () => {
    it.each<[string, Error]>([
      ['ProvisionedThroughputExceededException', new ProvisionedThroughputExceededException({ message: 'exceeded', $metadata })],
      ['ThrottlingException', new ThrottlingException({ message: 'Rate exceeded', $metadata })],
      ['RequestLimitExceeded', new RequestLimitExceeded({ message: 'limit', $metadata })],
      ['InternalServerError', new InternalServerError({ message: 'internal', $metadata })],
      ['TransactionConflictException', new TransactionConflictException({ message: 'ongoing transaction', $metadata })],
      ['a reset socket', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ])('turns %s into LedgerBusyError, a LedgerUnavailableError the state machines retry', async (_, cause) => {
      ddb.on(GetCommand).rejects(cause);
      const error = await catchError(ledger.claim(claimOf('fp')));
      expect(error).toBeInstanceOf(LedgerBusyError);
      expect(error).toBeInstanceOf(LedgerUnavailableError);
      expect(error).toMatchObject({ name: 'cloudmend.Transient', userFacing: true, cause });
      expect((error as Error).message).toContain('the DynamoDB ledger table ledger-table is busy');
    });

    it('turns a transaction cancelled by throttling into LedgerBusyError', async () => {
      ddb.on(GetCommand).resolves({});
      ddb.on(TransactWriteCommand).rejects(cancelled('ThrottlingError', 'None'));
      expect(await catchError(ledger.claim(claimOf('fp')))).toBeInstanceOf(LedgerBusyError);
    });

    it('retries a transaction conflict after a pause, then gives up with LedgerBusyError', async () => {
      vi.spyOn(Math, 'random').mockReturnValue(0);
      ddb.on(GetCommand).resolves({});
      ddb.on(TransactWriteCommand).rejectsOnce(cancelled('TransactionConflict', 'None')).resolves({});
      expect(await ledger.claim(claimOf('fp'))).toMatchObject({ claimed: true, record: { version: 1 } });

      ddb.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));
      const error = await catchError(ledger.claim(claimOf('fp')));
      expect(error).toBeInstanceOf(LedgerBusyError);
      expect((error as Error).message).toContain('finding fp kept changing');
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2 + 10);
    });
  });

  describe('a cancelled transaction', () => {
    it('re-reads and answers claimed: false when another claim won', async () => {
      ddb.on(GetCommand).resolvesOnce({}).resolves(stored('claimed', 1));
      ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
      const result = await ledger.claim(claimOf('fp', { at: later(1) }));
      expect(result).toEqual({ claimed: false, record: expect.objectContaining({ state: 'claimed', updatedBy: 'other' }) as unknown });
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    });

    it('re-reads and writes again on the new version when the finding is still reclaimable', async () => {
      ddb.on(GetCommand).resolvesOnce(stored('skipped', 1)).resolves(stored('failed', 3));
      ddb.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).resolves({});
      const result = await ledger.claim(claimOf('fp', { at: later(1) }));
      expect(result).toMatchObject({ claimed: true, record: { version: 4, attempts: 2 } });
      const [first, second] = ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems?.[0]?.Put);
      expect(first?.ExpressionAttributeValues).toMatchObject({ ':version': 1 });
      expect(second?.ExpressionAttributeValues).toMatchObject({ ':version': 3 });
      expect(second?.ConditionExpression).toMatch(/^#version = :version AND #state IN \(/);
    });

    it('throws LedgerConflictError with the current record when a transition lost', async () => {
      ddb.on(GetCommand).resolvesOnce(stored('claimed', 1)).resolves(stored('located', 2));
      ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
      const error = await catchError(ledger.transition(move('fp', 'claimed', 'failed')));
      expect(error).toBeInstanceOf(LedgerConflictError);
      expect(error).toMatchObject({ currentState: 'located', fingerprint: 'fp', record: { version: 2 } });
    });

    it('throws LedgerNotFoundError when the finding is gone on re-read (a table restored from backup)', async () => {
      ddb.on(GetCommand).resolvesOnce(stored('claimed', 1)).resolves({});
      ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
      expect(await catchError(ledger.transition(move('fp', 'claimed', 'located')))).toBeInstanceOf(LedgerNotFoundError);
    });

    it('refuses to overwrite an audit event whose seq is taken, as a broken invariant', async () => {
      ddb.on(GetCommand).resolves({});
      ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed'));
      const error = await catchError(ledger.claim(claimOf('fp')));
      expect(error).not.toBeInstanceOf(LedgerUnavailableError);
      expect((error as Error).message).toBe('ledger invariant broken: audit seq 1 of table ledger-table is already used');
    });
  });

  describe('approvals', () => {
    const approval = { id: 'ap', fingerprint: 'fp', taskToken: TOKEN, requestedAt: T0, expiresAt: later(60) };

    it.each<[string, Error, new (...args: never[]) => Error]>([
      [
        'a duplicate id',
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata }),
        LedgerConflictError,
      ],
      ['throttling', new ThrottlingException({ message: 'Rate exceeded', $metadata }), LedgerBusyError],
      [
        'a validation error quoting the token',
        Object.assign(new Error(`invalid value ${TOKEN} for taskToken`), { name: 'ValidationException' }),
        Error,
      ],
    ])('never shows the task token when putApproval fails on %s', async (_, cause, type) => {
      ddb.on(PutCommand).rejects(cause);
      const error = await catchError(ledger.putApproval(approval));
      expect(error).toBeInstanceOf(type);
      expect(errorText(error)).not.toContain(TOKEN.slice(0, 24));
    });

    it('keeps the name of a redacted error and leaves other errors untouched', async () => {
      ddb.on(PutCommand).rejects(Object.assign(new Error(`bad ${TOKEN}`), { name: 'ValidationException' }));
      expect(await catchError(ledger.putApproval(approval))).toMatchObject({ name: 'ValidationException', message: 'bad [task token]' });
      const bug = Object.assign(new Error('ExpressionAttributeValues must not be empty'), { name: 'ValidationException' });
      ddb.on(GetCommand).rejects(bug);
      expect(await catchError(ledger.getApproval('ap'))).toBe(bug);
    });

    it('decides late clicks with two conditional updates and no read', async () => {
      ddb
        .on(UpdateCommand, { Key: { pk: 'approval#ap', sk: 'approval' } })
        .rejectsOnce(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata }))
        .resolves({ Attributes: { ...approval, deadline: later(60).toISOString(), requestedAt: T0.toISOString(), status: 'expired' } });
      const result = await ledger.decideApproval({ id: 'ap', decision: 'approved', actor: 'slack:U1', at: later(61) });
      expect(result).toMatchObject({ outcome: 'expired', approval: { status: 'expired' } });
      const conditions = ddb
        .commandCalls(UpdateCommand, { Key: { pk: 'approval#ap', sk: 'approval' } })
        .map((c) => c.args[0].input.ConditionExpression);
      expect(conditions).toEqual(['#status = :pending AND :now < #deadline', '#status = :pending AND #deadline <= :now']);
      expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    });
  });

  describe('choices and suppressions', () => {
    const suppression = { key: 'drift:k', until: later(600), actor: 'slack:U1', at: T0, reason: 'r', fingerprint: 'fp' };

    it('refuses a malformed choice before sending anything', async () => {
      const error = await catchError(ledger.decideApproval({ id: 'ap', decision: 'approved', choice: 'Codify', actor: 'a', at: T0 }));
      expect(error).toBeInstanceOf(RangeError);
      expect(ddb.calls()).toHaveLength(0);
    });

    it('refuses an over-long key before sending anything, and reads none', async () => {
      expect(await catchError(ledger.suppress({ ...suppression, key: 'k'.repeat(513) }))).toBeInstanceOf(RangeError);
      expect(await ledger.activeSuppression('k'.repeat(513), T0)).toBeUndefined();
      expect(ddb.calls()).toHaveLength(0);
    });

    it('writes the suppression only if none newer is stored, with its audit event, and accepts losing', async () => {
      ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
      await ledger.suppress(suppression);
      const [put, audit] = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      expect(put?.Put).toMatchObject({
        Item: { pk: 'suppression#drift:k', sk: 'suppression', expiresAt: Math.ceil(later(600).getTime() / 1000) },
        ConditionExpression: 'attribute_not_exists(pk) OR #at <= :at',
        ExpressionAttributeValues: { ':at': T0.toISOString() },
      });
      expect(audit?.Put?.Item).toMatchObject({ pk: 'finding#fp', type: 'suppression.set' });
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    });

    it('retries a transaction conflict, then gives up with LedgerBusyError', async () => {
      vi.spyOn(Math, 'random').mockReturnValue(0);
      ddb.on(TransactWriteCommand).rejectsOnce(cancelled('TransactionConflict', 'None')).resolves({});
      await ledger.suppress(suppression);
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);

      ddb.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));
      const error = await catchError(ledger.suppress(suppression));
      expect(error).toBeInstanceOf(LedgerBusyError);
      expect((error as Error).message).toContain('the suppression of drift:k kept changing');
    });

    it('refuses to overwrite an audit event whose seq is taken, as a broken invariant', async () => {
      ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed'));
      const error = await catchError(ledger.suppress(suppression));
      expect((error as Error).message).toBe('ledger invariant broken: audit seq 1 of table ledger-table is already used');
    });
  });

  describe('setup and lifecycle', () => {
    it('turns a missing table into LedgerUnavailableError that is not retried', async () => {
      ddb.on(GetCommand).rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata }));
      const error = await catchError(ledger.get('fp'));
      expect(error).toBeInstanceOf(LedgerUnavailableError);
      expect(error).not.toBeInstanceOf(LedgerBusyError);
    });

    it('turns denied access into LedgerUnavailableError naming the cause', async () => {
      ddb.on(GetCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
      const error = await catchError(ledger.get('fp'));
      expect(error).toBeInstanceOf(LedgerUnavailableError);
      expect((error as Error).message).toContain('(AccessDeniedException); check the credentials');
    });

    it('destroys the client it created, once, and never one it was given', async () => {
      const destroy = vi.spyOn(DynamoDBClient.prototype, 'destroy');
      await ledger.close();
      expect(destroy).not.toHaveBeenCalled();
      const own = dynamoDbLedger({ tableName: 'ledger-table' });
      await own.close();
      await own.close();
      expect(destroy).toHaveBeenCalledTimes(1);
    });

    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses ttlDays %s', (ttlDays) => {
      expect(() => dynamoDbLedger({ tableName: 't', client, ttlDays })).toThrow(RangeError);
    });
  });
});
