/** Upgrading SQLite ledgers that earlier versions of cloudmend left on disk. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalRecord, Ledger } from '../../src/ledger/port.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { LATEST_SCHEMA_VERSION, configureConnection, migrate } from '../../src/ledger/sqlite-migrations.js';
import { T0, later } from './ledger-helpers.js';

/** Approvals as cloudmend with schema version 2 wrote them: one pending, one decided. */
const V2_APPROVALS = [
  ['ap-pending', 'fp1', 'token-1', T0, later(3600), 'C123', '1712345678.000100', 'pending', null, null],
  ['ap-approved', 'fp2', 'token-2', later(1), later(3601), null, null, 'approved', later(30), 'slack:U1'],
] as const;

const EXPECTED: readonly ApprovalRecord[] = [
  {
    id: 'ap-pending',
    fingerprint: 'fp1',
    taskToken: 'token-1',
    requestedAt: T0,
    expiresAt: later(3600),
    channel: 'C123',
    messageTs: '1712345678.000100',
    status: 'pending',
    decidedAt: undefined,
    decidedBy: undefined,
    choice: undefined,
  },
  {
    id: 'ap-approved',
    fingerprint: 'fp2',
    taskToken: 'token-2',
    requestedAt: later(1),
    expiresAt: later(3601),
    channel: undefined,
    messageTs: undefined,
    status: 'approved',
    decidedAt: later(30),
    decidedBy: 'slack:U1',
    choice: undefined,
  },
];

describe('SQLite ledger migrations', () => {
  let dir: string;
  let file: string;
  const open: Ledger[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudmend-'));
    file = path.join(dir, 'ledger.db');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((ledger) => ledger.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A ledger file at schema version 2, with `V2_APPROVALS` in it. */
  function createV2Ledger(): void {
    const db = new Database(file);
    try {
      configureConnection(db, 5000);
      migrate(db, file, 2);
      const insert = db.prepare(
        `INSERT INTO approvals (id, fingerprint, task_token, requested_at, expires_at, channel, message_ts, status, decided_at, decided_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const row of V2_APPROVALS) insert.run(row.map((value) => (value instanceof Date ? value.toISOString() : value)));
    } finally {
      db.close();
    }
  }

  function inspect<T>(fn: (db: Database.Database) => T): T {
    const db = new Database(file, { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }

  const versions = (db: Database.Database): number[] =>
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version')
      .all()
      .map((r) => r.version);
  const approvalColumns = (db: Database.Database): string[] =>
    db
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('approvals')")
      .all()
      .map((c) => c.name);
  const tables = (db: Database.Database): string[] =>
    db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((t) => t.name);

  it('builds a version 2 ledger without choices or suppressions, as cloudmend left it', () => {
    createV2Ledger();
    inspect((db) => {
      expect(versions(db)).toEqual([1, 2]);
      expect(approvalColumns(db)).not.toContain('choice');
      expect(tables(db)).not.toContain('suppressions');
    });
  });

  it('upgrades a version 2 ledger in place, keeping its approvals with no choice', async () => {
    createV2Ledger();
    const ledger = openSqliteLedger({ path: file });
    open.push(ledger);

    inspect((db) => {
      expect(versions(db)).toEqual(Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
      expect(approvalColumns(db)).toContain('choice');
      expect(tables(db)).toContain('suppressions');
    });
    expect(await ledger.listApprovals()).toEqual(EXPECTED);
    expect(await ledger.getApproval('ap-approved')).toEqual(EXPECTED[1]);
  });

  it('decides an approval left pending by version 2 with a choice, and suppresses', async () => {
    createV2Ledger();
    const ledger = openSqliteLedger({ path: file });
    open.push(ledger);

    const result = await ledger.decideApproval({
      id: 'ap-pending',
      decision: 'rejected',
      choice: 'ignore',
      actor: 'slack:U2',
      at: later(60),
    });
    expect(result).toEqual({
      outcome: 'decided',
      approval: { ...EXPECTED[0], status: 'rejected', decidedAt: later(60), decidedBy: 'slack:U2', choice: 'ignore' },
    });
    const suppression = { key: 'drift:k', until: later(86_400), actor: 'slack:U2', at: later(60), reason: 'ignore', fingerprint: 'fp1' };
    await ledger.suppress(suppression);
    expect(await ledger.activeSuppression('drift:k', later(61))).toEqual(suppression);
  });

  it('leaves a ledger at an older version alone when asked to migrate up to that version only', () => {
    createV2Ledger();
    const db = new Database(file);
    try {
      migrate(db, file, 1);
      migrate(db, file, 2);
      expect(versions(db)).toEqual([1, 2]);
    } finally {
      db.close();
    }
  });
});
