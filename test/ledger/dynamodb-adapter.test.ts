/** What the contract cannot see: the DynamoDB ledger's items, counters, limits, and parity with SQLite. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbLedger } from '../../src/ledger/dynamodb.js';
import { LedgerClosedError, LedgerUnavailableError } from '../../src/ledger/errors.js';
import type { Ledger } from '../../src/ledger/port.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { T0, catchError, claimOf, driveTo, later, move, skipOf, summary } from './ledger-helpers.js';
import { motoInstalled, startMoto, type Moto } from './dynamodb-moto.js';

const DAY = 86_400;
const epoch = (date: Date): number => Math.floor(date.getTime() / 1000);

describe.skipIf(!motoInstalled())('DynamoDB ledger adapter on moto_server', () => {
  let moto: Moto;
  let dir: string;
  let tableName: string;
  let ledger: Ledger;
  let doc: DynamoDBDocumentClient;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    moto = await startMoto();
    doc = DynamoDBDocumentClient.from(moto.client);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudmend-'));
  }, 30_000);
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    // Undefined when the server never started.
    if (moto !== undefined) await moto.stop();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** A ledger on a fresh table, closed and dropped after the test. */
  async function open(options: { ttlDays?: number } = {}): Promise<Ledger> {
    const name = (tableName = await moto.createTable());
    const opened = (ledger = dynamoDbLedger({ tableName, client: moto.client, ...options }));
    cleanups.push(async () => {
      await opened.close();
      await moto.deleteTable(name);
    });
    return opened;
  }

  async function item(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    return (await doc.send(new GetCommand({ TableName: tableName, Key: { pk, sk } }))).Item;
  }

  it('lays items out as documented, with ISO dates, maps and TTL only where history may expire', async () => {
    await open({ ttlDays: 7 });
    await driveTo(ledger, 'fp', 'located');
    const finding = await item('finding#fp', 'finding');
    expect(finding).toMatchObject({
      gsi1pk: 'state#located',
      gsi1sk: `${later(1).toISOString()}#fp`,
      gsi2pk: 'finding',
      state: 'located',
      summary,
      createdAt: T0.toISOString(),
      updatedAt: later(1).toISOString(),
    });
    expect(finding).not.toHaveProperty('expiresAt');
    const key = { pk: { S: 'finding#fp' }, sk: { S: 'finding' } };
    expect((await moto.client.send(new GetItemCommand({ TableName: tableName, Key: key }))).Item?.summary?.M).toBeDefined();

    const audit = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': 'finding#fp', ':audit': 'audit#' },
      }),
    );
    expect(audit.Items?.map((i): unknown[] => [i.sk, i.expiresAt])).toEqual([
      ['audit#0000000000000001', epoch(T0) + 7 * DAY],
      ['audit#0000000000000002', epoch(later(1)) + 7 * DAY],
    ]);
    expect(await item('ledger', 'counter#audit')).toMatchObject({ seq: 2 });

    await ledger.putApproval({ id: 'ap', fingerprint: 'fp', taskToken: 'tok', requestedAt: T0, expiresAt: later(60) });
    const pending = await item('approval#ap', 'approval');
    expect(pending).toMatchObject({ gsi1pk: 'approval#pending', gsi2pk: 'approval', deadline: later(60).toISOString() });
    expect(pending).not.toHaveProperty('expiresAt');
    await ledger.decideApproval({ id: 'ap', decision: 'approved', actor: 'slack:U1', at: later(30) });
    expect(await item('approval#ap', 'approval')).toMatchObject({ gsi1pk: 'approval#approved', expiresAt: epoch(later(30)) + 7 * DAY });

    const pr = { id: 'pr-1', fingerprint: 'fp', repository: 'infra', branch: 'b', base: 'main', title: 't', body: 'b', commit: 'c' };
    await ledger.putPullRequest({ ...pr, at: T0 });
    const stored = await item('pr#pr-1', 'pr');
    expect(stored).toMatchObject({ gsi2pk: 'pr#fp', gsi2sk: `${T0.toISOString()}#pr-1` });
    expect(stored).not.toHaveProperty('expiresAt');
  });

  it('stores a choice only with the decision, and a suppression as one item that TTL drops after until', async () => {
    await open({ ttlDays: 7 });
    await ledger.putApproval({ id: 'ap', fingerprint: 'fp', taskToken: 'tok', requestedAt: T0, expiresAt: later(60) });
    expect(await item('approval#ap', 'approval')).not.toHaveProperty('choice');
    await ledger.decideApproval({ id: 'ap', decision: 'rejected', choice: 'ignore', actor: 'slack:U1', at: later(30) });
    expect(await item('approval#ap', 'approval')).toMatchObject({ status: 'rejected', choice: 'ignore' });

    const until = new Date(later(86_400).getTime() + 1);
    await ledger.suppress({ key: 'drift:k', until, actor: 'slack:U1', at: later(30), reason: 'ignore', fingerprint: 'fp' });
    expect(await item('suppression#drift:k', 'suppression')).toEqual({
      pk: 'suppression#drift:k',
      sk: 'suppression',
      key: 'drift:k',
      until: until.toISOString(),
      actor: 'slack:U1',
      at: later(30).toISOString(),
      reason: 'ignore',
      fingerprint: 'fp',
      // Rounded up: never deleted while in force.
      expiresAt: epoch(later(86_400)) + 1,
    });
    const events = await ledger.auditTrail('fp');
    expect(events.map((e) => e.type)).toEqual(['suppression.set']);
    expect(await item('finding#fp', `audit#${String(events[0]?.seq).padStart(16, '0')}`)).toMatchObject({
      expiresAt: epoch(later(30)) + 7 * DAY,
    });
  });

  it('ignores a suppression TTL has not deleted yet once it has ended', async () => {
    await open();
    const stale = {
      pk: 'suppression#k',
      sk: 'suppression',
      key: 'k',
      until: later(60).toISOString(),
      actor: 'a',
      at: T0.toISOString(),
      reason: 'r',
      expiresAt: epoch(later(60)),
    };
    await doc.send(new PutCommand({ TableName: tableName, Item: stale }));
    expect(await ledger.activeSuppression('k', later(59))).toMatchObject({ key: 'k', until: later(60) });
    expect(await ledger.activeSuppression('k', later(60))).toBeUndefined();
  });

  it('stores a smoke run as one item that TTL drops when the run ends', async () => {
    await open();
    await ledger.recordSmokeRun({ runId: '0123456789ab', repository: 'infra', by: 'cli:a', startedAt: T0, expiresAt: later(3600) });
    expect(await item('smoke-run#0123456789ab', 'smoke-run')).toEqual({
      pk: 'smoke-run#0123456789ab',
      sk: 'smoke-run',
      runId: '0123456789ab',
      repository: 'infra',
      by: 'cli:a',
      startedAt: T0.toISOString(),
      deadline: later(3600).toISOString(),
      expiresAt: epoch(later(3600)),
    });
  });

  it('keeps audit events for 400 days by default', async () => {
    await open();
    await ledger.appendAudit({ type: 'run.started', actor: 'cli:a', at: T0 });
    expect(await item('audit', 'audit#0000000000000001')).toMatchObject({ expiresAt: epoch(T0) + 400 * DAY });
  });

  it('numbers audit events from one counter across findings and events of no finding', async () => {
    await open();
    await ledger.claim(claimOf('a'));
    await ledger.appendAudit({ type: 'run.started', actor: 'cli:a', at: T0 });
    await ledger.claim(claimOf('b'));
    await ledger.appendAudit({ fingerprint: 'a', type: 'note', actor: 'cli:a', at: T0 });
    expect((await ledger.auditTrail('a')).map((e) => e.seq)).toEqual([1, 4]);
    expect((await ledger.auditTrail('b')).map((e) => e.seq)).toEqual([3]);
    expect(await item('audit', 'audit#0000000000000002')).toMatchObject({ type: 'run.started', seq: 2 });
  });

  it('refuses a finding in a state this code does not know, naming the table', async () => {
    await open();
    const unknown = { pk: 'finding#fp', sk: 'finding', fingerprint: 'fp', state: 'teleported' };
    await doc.send(new PutCommand({ TableName: tableName, Item: unknown }));
    const error = await catchError(ledger.get('fp'));
    expect(error).toBeInstanceOf(LedgerUnavailableError);
    expect((error as Error).message).toContain(`table ${tableName} holds finding fp in state "teleported"`);
  });

  it('fails with LedgerUnavailableError, not a retryable one, when the table does not exist', async () => {
    const missing = dynamoDbLedger({ tableName: 'no-such-table', client: moto.client });
    const error = await catchError(missing.claim(claimOf('fp')));
    expect(error).toBeInstanceOf(LedgerUnavailableError);
    expect(error).toMatchObject({ name: 'LedgerUnavailableError' });
    expect((error as Error).message).toContain('the DynamoDB ledger table no-such-table does not exist');
    await missing.close();
  });

  it('leaves an injected client usable after close, and rejects calls with LedgerClosedError', async () => {
    await open();
    await ledger.claim(claimOf('fp'));
    await ledger.close();
    await ledger.close();
    const error = await catchError(ledger.list());
    expect(error).toBeInstanceOf(LedgerClosedError);
    expect((error as Error).message).toContain(`table ${tableName} is closed`);
    expect(await item('finding#fp', 'finding')).toMatchObject({ state: 'claimed' });
  });

  describe('answers exactly as the SQLite adapter', () => {
    let sqlite: Ledger;

    async function openBoth(): Promise<void> {
      await open();
      const opened = (sqlite = openSqliteLedger({ path: path.join(dir, `${tableName}.db`) }));
      cleanups.push(() => opened.close());
    }

    /** Run `call` on both ledgers and expect the same answer. */
    async function same(call: (l: Ledger) => Promise<unknown>): Promise<void> {
      expect(await call(ledger)).toEqual(await call(sqlite));
    }

    it('orders findings updated at the same time by fingerprint, across index pages and states', async () => {
      await openBoth();
      const writes = async (l: Ledger): Promise<void> => {
        // 'Ａ' sorts before '😀' in UTF-8 (SQLite, DynamoDB) but after it in UTF-16 (JavaScript).
        for (const fp of ['m', 'z', '😀', 'a', 'Ａ', 'k', 'b']) await l.claim(claimOf(fp));
        for (const fp of ['y', 'c']) await l.recordSkip(skipOf(fp, 'r', { at: later(-60) }));
        for (const fp of ['x', 'd']) await driveTo(l, fp, 'failed');
        await l.transition(move('k', 'claimed', 'failed', { at: later(1) }));
      };
      await writes(ledger);
      await writes(sqlite);
      for (const limit of [0, 1, 2, 3, 5, 8, 20]) {
        await same((l) => l.list({ limit }));
        await same((l) => l.list({ limit, state: ['failed', 'skipped', 'claimed'] }));
        await same((l) => l.list({ limit, state: ['claimed', 'claimed'] }));
      }
    });

    it('upserts pull requests the same way: the finding may change, the url may go, creation stays', async () => {
      await openBoth();
      const pr = { id: 'pr', fingerprint: 'fp1', repository: 'infra', branch: 'b', base: 'main', title: 't', body: 'b', commit: 'c' };
      await same((l) => l.putPullRequest({ ...pr, url: 'https://example.com/1', at: T0 }));
      await same((l) => l.putPullRequest({ ...pr, id: 'pr-0', at: later(-5) }));
      const moved = { ...pr, fingerprint: 'fp2', repository: 'other', branch: 'b2', base: 'dev', title: 't2', at: later(9) };
      await same((l) => l.putPullRequest(moved));
      await same((l) => l.pullRequestsFor('fp1'));
      await same((l) => l.pullRequestsFor('fp2'));
      await same((l) => l.getPullRequest('pr'));
    });

    it('keeps what JSON keeps of summaries and data: no undefined, dates as text', async () => {
      await openBoth();
      const data = { when: new Date(T0), gone: undefined, list: [1, 'two', { three: null }], empty: '', deep: { a: { b: [] } } };
      const odd = { ...summary, title: undefined, resourceId: 'quote " emoji 🛡️ \u0001' };
      await same((l) => l.claim(claimOf('fp', { summary: odd })));
      await same((l) => l.transition(move('fp', 'claimed', 'located', { at: later(1), data })));
      await same((l) => l.appendAudit({ fingerprint: 'fp', type: 'note', actor: 'a', at: later(2), data }));
      await same((l) => l.get('fp'));
      await same(async (l) => (await l.auditTrail('fp')).map(({ seq: _seq, ...event }) => event));
      const approval = { id: 'ap', fingerprint: 'fp', taskToken: 't', requestedAt: T0, expiresAt: later(5), channel: '' };
      await same((l) => l.putApproval(approval));
      await same((l) => l.decideApproval({ id: 'ap', decision: 'approved', actor: 'a', at: later(5) }));
      await same((l) => l.listApprovals({ status: 'expired' }));
    });

    it('stores choices and suppressions the same way', async () => {
      await openBoth();
      for (const id of ['a', 'b', 'c'])
        await same((l) => l.putApproval({ id, fingerprint: 'fp', taskToken: 't', requestedAt: T0, expiresAt: later(60) }));
      await same((l) => l.decideApproval({ id: 'a', decision: 'approved', choice: 'codify', actor: 'u', at: later(1) }));
      await same((l) => l.decideApproval({ id: 'a', decision: 'rejected', choice: 'ignore', actor: 'u', at: later(2) }));
      await same((l) => l.decideApproval({ id: 'b', decision: 'rejected', choice: 'revert', actor: 'u', at: later(60) }));
      await same((l) => l.decideApproval({ id: 'c', decision: 'rejected', actor: 'u', at: later(3) }));
      await same((l) => l.listApprovals());
      const suppression = { key: 'drift:k', until: later(600), actor: 'u', at: later(5), reason: 'r', fingerprint: 'fp' };
      await same((l) => l.suppress(suppression));
      await same((l) => l.suppress({ ...suppression, at: later(4), reason: 'older' }));
      await same((l) => l.suppress({ ...suppression, key: 'drift:other', fingerprint: undefined }));
      for (const at of [later(5), later(599), later(600)]) {
        await same((l) => l.activeSuppression('drift:k', at));
        await same((l) => l.activeSuppression('drift:other', at));
      }
      await same(async (l) => (await l.auditTrail('fp')).map(({ seq: _seq, ...event }) => event));
    });
  });
});
