import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerBusyError, LedgerClosedError, LedgerConflictError, LedgerUnavailableError } from '../../src/ledger/errors.js';
import type { Ledger } from '../../src/ledger/port.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { LATEST_SCHEMA_VERSION } from '../../src/ledger/sqlite-migrations.js';
import { describeLedgerContract } from './ledger-contract.js';
import { T0, catchError, claimOf, driveTo, errorText, later, move, skipOf } from './ledger-helpers.js';

describeLedgerContract('sqlite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudmend-'));
  const ledger = openSqliteLedger({ path: path.join(dir, 'ledger.db') });
  return Promise.resolve({
    ledger,
    cleanup: async () => {
      await ledger.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
});

describe('openSqliteLedger', () => {
  let dir: string;
  let file: string;
  const open: Ledger[] = [];

  /** Open a ledger that `afterEach` closes. */
  function openLedger(options: { path?: string; busyTimeoutMs?: number } = {}): Ledger {
    const ledger = openSqliteLedger({ path: file, ...options });
    open.push(ledger);
    return ledger;
  }

  function raw(): Database.Database {
    return new Database(file);
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudmend-'));
    file = path.join(dir, 'nested', 'dir', 'ledger.db');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((ledger) => ledger.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates the parent directory and a WAL database with every migration recorded once', () => {
    openLedger();
    const db = raw();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const versions = db.prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version').all();
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
    db.close();
  });

  it('is idempotent when opened again, including while another handle is open', async () => {
    const first = openLedger();
    openLedger();
    await first.close();
    openLedger();
    const db = raw();
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: LATEST_SCHEMA_VERSION });
    db.close();
  });

  it('keeps findings, approvals and audit events when the file is reopened', async () => {
    const first = openLedger();
    const record = await driveTo(first, 'fp', 'awaiting_approval');
    await first.putApproval({ id: 'ap', fingerprint: 'fp', taskToken: 'tok', requestedAt: T0, expiresAt: later(3600) });
    const trail = await first.auditTrail('fp');
    await first.close();

    const second = openLedger();
    expect(await second.get('fp')).toEqual(record);
    expect(await second.getApproval('ap')).toMatchObject({ status: 'pending', taskToken: 'tok' });
    expect(await second.auditTrail('fp')).toEqual(trail);
  });

  it('refuses a database whose schema is newer than this code', () => {
    openLedger();
    const db = raw();
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      LATEST_SCHEMA_VERSION + 1,
      'future',
      T0.toISOString(),
    );
    db.close();
    const error = catchSync(() => openLedger());
    expect(error).toBeInstanceOf(LedgerUnavailableError);
    expect((error as LedgerUnavailableError).userFacing).toBe(true);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/newer.*upgrade cloudmend/);
  });

  it.each([
    ['text', 'this is a plain text file, not a database\n'.repeat(200)],
    ['random bytes', Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 131 + 7) % 256))],
  ])('refuses a %s file, naming the path', (_, content) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    const error = catchSync(() => openLedger());
    expect(error).toBeInstanceOf(LedgerUnavailableError);
    expect((error as Error).message).toContain(`${file} is not a cloudmend ledger`);
  });

  it.each<[string, () => string]>([
    ['is a directory', () => (fs.mkdirSync(file, { recursive: true }), file)],
    ['lies under a regular file', () => (fs.writeFileSync(path.join(dir, 'plain'), 'x'), path.join(dir, 'plain', 'ledger.db'))],
  ])('refuses a path that %s, naming it', (_, arrange) => {
    const target = arrange();
    const error = catchSync(() => openLedger({ path: target }));
    expect(error).toBeInstanceOf(LedgerUnavailableError);
    expect((error as Error).message).toContain(`cannot read or write the ledger at ${target}`);
  });

  it('fails with LedgerBusyError (a LedgerUnavailableError the state machines retry), without the task token, when another connection holds the lock', async () => {
    const ledger = openLedger({ busyTimeoutMs: 50 });
    const blocker = raw();
    blocker.exec('BEGIN IMMEDIATE');
    const approval = { id: 'ap', fingerprint: 'fp', taskToken: 'secret-token-'.repeat(200), requestedAt: T0, expiresAt: later(60) };
    try {
      const error = await catchError(ledger.putApproval(approval));
      expect(error).toBeInstanceOf(LedgerUnavailableError);
      expect(error).toBeInstanceOf(LedgerBusyError);
      expect((error as Error).name).toBe('cloudmend.Transient');
      expect((error as Error).message).toBe(`another cloudmend process holds the ledger at ${file}; retry, or raise busyTimeoutMs`);
      expect(errorText(error)).not.toContain('secret-token');
      // Readers are not blocked by a writer in WAL mode.
      expect(await ledger.getApproval('ap')).toBeUndefined();
    } finally {
      blocker.exec('COMMIT');
      blocker.close();
    }
    await ledger.putApproval(approval);
    expect(await ledger.getApproval('ap')).toMatchObject({ taskToken: approval.taskToken });
  });

  it('sees writes of another handle and refuses a stale transition from it', async () => {
    const a = openLedger();
    const b = openLedger();
    await a.claim(claimOf('fp', { actor: 'a' }));
    expect((await b.claim(claimOf('fp', { actor: 'b' }))).claimed).toBe(false);
    await a.transition(move('fp', 'claimed', 'located', { actor: 'a', at: later(1) }));
    const error = await catchError(b.transition(move('fp', 'claimed', 'failed', { actor: 'b', at: later(2) })));
    expect(error).toBeInstanceOf(LedgerConflictError);
    expect((error as LedgerConflictError).currentState).toBe('located');
  });

  it('stores dates as UTC ISO-8601 text with milliseconds', async () => {
    const ledger = openLedger();
    const at = new Date('2025-07-04T23:59:59.987+02:00');
    await ledger.claim(claimOf('fp', { at }));
    const db = raw();
    expect(db.prepare('SELECT created_at, updated_at FROM findings').get()).toEqual({
      created_at: '2025-07-04T21:59:59.987Z',
      updated_at: '2025-07-04T21:59:59.987Z',
    });
    db.close();
    expect((await ledger.get('fp'))?.createdAt).toEqual(at);
  });

  it('round-trips unicode, quotes, SQL-like text and control characters through bound parameters', async () => {
    const ledger = openLedger();
    const weird = [
      "Robert'); DROP TABLE findings;--",
      'quote " and \' and `back`',
      'emoji 🛡️👩🏽‍💻 and CJK 修复 and RTL עברית',
      'controls \u0001\u0002\t\n\r\u001f\u007f end',
      'lone surrogate-free astral 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
      '%_* glob and LIKE wildcards',
    ];
    for (const [i, text] of weird.entries()) {
      const fingerprint = `${text}#${i}`;
      const weirdSummary = { source: text, title: text, resourceId: text };
      const data = { text, nested: [text, { [text]: text }] };
      await ledger.claim(claimOf(fingerprint, { summary: weirdSummary, actor: text }));
      await ledger.transition(move(fingerprint, 'claimed', 'failed', { actor: text, reason: text, data }));
      const approval = { id: text, fingerprint, taskToken: text, channel: text, messageTs: text };
      await ledger.putApproval({ ...approval, requestedAt: T0, expiresAt: later(60) });
      const record = await ledger.get(fingerprint);
      expect(record).toMatchObject({ fingerprint, summary: weirdSummary, reason: text, updatedBy: text, data });
      expect(await ledger.getApproval(text)).toMatchObject(approval);
      const trail = await ledger.auditTrail(fingerprint);
      expect(trail.map((e) => e.actor)).toEqual([text, text]);
      expect(trail[1]?.data).toMatchObject({ reason: text, data });
    }
    expect(await ledger.list({ limit: 1000 })).toHaveLength(weird.length);
  });

  it.each<[string, (ledger: Ledger) => Promise<unknown>]>([
    ['claim', (l) => l.claim(claimOf('fp'))],
    ['recordSkip', (l) => l.recordSkip(skipOf('fp', 'r'))],
    ['transition', (l) => l.transition(move('fp', 'claimed', 'located'))],
    ['get', (l) => l.get('fp')],
    ['list', (l) => l.list()],
    ['putApproval', (l) => l.putApproval({ id: 'a', fingerprint: 'fp', taskToken: 't', requestedAt: T0, expiresAt: T0 })],
    ['getApproval', (l) => l.getApproval('ap')],
    ['decideApproval', (l) => l.decideApproval({ id: 'ap', decision: 'approved', actor: 'a', at: T0 })],
    ['suppress', (l) => l.suppress({ key: 'k', until: later(60), actor: 'a', at: T0, reason: 'r' })],
    ['activeSuppression', (l) => l.activeSuppression('k', T0)],
    ['appendAudit', (l) => l.appendAudit({ type: 'x', actor: 'a', at: T0 })],
    ['auditTrail', (l) => l.auditTrail('fp')],
  ])('rejects %s after close with LedgerClosedError naming the file', async (_, call) => {
    const ledger = openLedger();
    await ledger.close();
    await ledger.close();
    const error = await catchError(call(ledger));
    expect(error).toBeInstanceOf(LedgerClosedError);
    expect((error as Error).message).toContain(`the ledger at ${file} is closed`);
  });
});

function catchSync(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
