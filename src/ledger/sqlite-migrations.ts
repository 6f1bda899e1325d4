/**
 * Connection settings and versioned schema of the SQLite ledger. Append new migrations; never edit
 * an applied one.
 */
import type Database from 'better-sqlite3';
import { LedgerUnavailableError } from './errors.js';
import { isBusyError } from './sqlite-errors.js';

/**
 * Set the pragmas every ledger connection needs:
 * - WAL, so readers (a run polling an approval) never block the writer and vice versa;
 * - `synchronous = FULL`, so a committed claim or approval decision survives power loss, not just a
 *   process crash (NORMAL may lose the last commits, i.e. a claim a PR was opened for); cloudmend
 *   writes a handful of rows per finding, so one fsync per commit is cheap;
 * - `foreign_keys = ON`, so any constraint a migration declares is enforced.
 *
 * Switching a fresh file to WAL fails with SQLITE_BUSY at once, without the busy handler, while
 * another process is opening it too; that switch is retried until `busyTimeoutMs` has passed.
 */
export function configureConnection(db: Database.Database, busyTimeoutMs: number): void {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      break;
    } catch (error) {
      if (!isBusyError(error) || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // A synchronous 5 ms pause.
    }
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

// STRICT tables reject values of the wrong type. Enumerations (state, status) are not CHECKed
// because SQLite cannot alter a CHECK without rebuilding the table; the adapter validates on read.
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'findings, approvals, audit events',
    sql: `
      CREATE TABLE findings (
        fingerprint TEXT PRIMARY KEY NOT NULL,
        state TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        attempts INTEGER NOT NULL CHECK (attempts >= 0),
        summary TEXT NOT NULL,
        reason TEXT,
        data TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      ) STRICT;
      CREATE INDEX findings_by_updated ON findings (updated_at DESC, fingerprint);
      CREATE INDEX findings_by_state ON findings (state, updated_at DESC, fingerprint);

      CREATE TABLE approvals (
        id TEXT PRIMARY KEY NOT NULL,
        fingerprint TEXT NOT NULL,
        task_token TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        channel TEXT,
        message_ts TEXT,
        status TEXT NOT NULL,
        decided_at TEXT,
        decided_by TEXT
      ) STRICT;
      CREATE INDEX approvals_by_fingerprint ON approvals (fingerprint);

      -- AUTOINCREMENT: seq is never reused, even after the newest rows are deleted.
      CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        fingerprint TEXT,
        type TEXT NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        data TEXT
      ) STRICT;
      CREATE INDEX audit_events_by_fingerprint ON audit_events (fingerprint, seq);
    `,
  },
  {
    version: 2,
    name: 'pull requests, approvals by status',
    sql: `
      CREATE TABLE pull_requests (
        id TEXT PRIMARY KEY NOT NULL,
        fingerprint TEXT NOT NULL,
        repository TEXT NOT NULL,
        branch TEXT NOT NULL,
        base TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        commit_sha TEXT NOT NULL,
        url TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX pull_requests_by_fingerprint ON pull_requests (fingerprint, created_at);
      CREATE INDEX approvals_by_status ON approvals (status, requested_at);
    `,
  },
  {
    version: 3,
    name: 'approval choices, suppressions',
    sql: `
      -- NULL in every approval decided before: plain approvals have no choice.
      ALTER TABLE approvals ADD COLUMN choice TEXT;

      -- One row per key; expired rows stay (reads compare until with the time asked about).
      CREATE TABLE suppressions (
        key TEXT PRIMARY KEY NOT NULL,
        until TEXT NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT NOT NULL,
        fingerprint TEXT
      ) STRICT;
    `,
  },
  {
    version: 4,
    name: 'changes and the open change of each resource',
    sql: `
      -- One row per pull request; item is the change as JSON (src/ledger/changes.ts, shared with DynamoDB).
      CREATE TABLE changes (
        pull_request_id TEXT PRIMARY KEY NOT NULL,
        item TEXT NOT NULL
      ) STRICT;

      -- One row per resource an open change covers: a resource has at most one open change.
      CREATE TABLE open_changes (
        repository TEXT NOT NULL,
        resource TEXT NOT NULL,
        pull_request_id TEXT NOT NULL REFERENCES changes (pull_request_id),
        PRIMARY KEY (repository, resource)
      ) STRICT;
      CREATE INDEX open_changes_by_pull_request ON open_changes (pull_request_id);
    `,
  },
  {
    version: 5,
    name: 'smoke runs',
    sql: `
      -- One row per smoke test (cloudmend smoke): what lets its finding's fix be based on its scratch branch.
      CREATE TABLE smoke_runs (
        run_id TEXT PRIMARY KEY NOT NULL,
        repository TEXT NOT NULL,
        by TEXT NOT NULL,
        started_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
    `,
  },
];

/** The schema version this code writes and understands. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

function appliedVersion(db: Database.Database): number {
  const table = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (table === undefined) return 0;
  const row = db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM schema_migrations').get();
  return row?.v ?? 0;
}

function refuseNewer(version: number, path: string): void {
  if (version > LATEST_SCHEMA_VERSION) {
    throw new LedgerUnavailableError(
      `the ledger at ${path} has schema version ${version}, newer than this cloudmend understands ` +
        `(${LATEST_SCHEMA_VERSION}); upgrade cloudmend or point it at another ledger file`,
    );
  }
}

/**
 * Bring the schema up to `LATEST_SCHEMA_VERSION`. Each migration runs in its own `BEGIN IMMEDIATE`
 * transaction and re-reads the applied version under that lock, so processes opening a fresh file
 * at the same moment apply each migration exactly once. Throws `LedgerUnavailableError` for a
 * schema newer than this code.
 *
 * `upTo` stops at an older version: how tests build the database an earlier cloudmend left.
 * @default LATEST_SCHEMA_VERSION
 */
export function migrate(db: Database.Database, path: string, upTo: number = LATEST_SCHEMA_VERSION): void {
  const current = appliedVersion(db);
  refuseNewer(current, path);
  if (current >= upTo) return;

  for (const migration of MIGRATIONS.filter((m) => m.version <= upTo)) {
    db.transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      ) STRICT`);
      const applied = appliedVersion(db);
      refuseNewer(applied, path);
      if (applied >= migration.version) return;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }).immediate();
  }
}
