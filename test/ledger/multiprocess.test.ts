/**
 * The SQLite ledger shared by real processes: racing claims, an approval decided in one process and
 * observed in another, and SIGKILL in the middle of writes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../../src/ledger/port.js';
import { LATEST_SCHEMA_VERSION } from '../../src/ledger/sqlite-migrations.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { canTransition, isReclaimable, type FindingState } from '../../src/ledger/states.js';
import { T0, claimOf, later } from './ledger-helpers.js';
import { startWorker, stopWorker, type Worker } from './worker-client.js';

interface ClaimReply {
  claimed: boolean;
  attempts: number;
  version: number;
  startedAt: number;
  endedAt: number;
}

describe('sqlite ledger across processes', () => {
  let dir: string;
  let file: string;
  const workers: Worker[] = [];
  const ledgers: Ledger[] = [];

  async function spawnWorkers(count: number): Promise<Worker[]> {
    const started = await Promise.all(Array.from({ length: count }, () => startWorker(file)));
    workers.push(...started);
    return started;
  }

  function openHere(): Ledger {
    const ledger = openSqliteLedger({ path: file });
    ledgers.push(ledger);
    return ledger;
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudmend-'));
    file = path.join(dir, 'ledger.db');
  });
  afterEach(async () => {
    try {
      await Promise.all(workers.splice(0).map(stopWorker));
      await Promise.all(ledgers.splice(0).map((ledger) => ledger.close()));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives each fingerprint to exactly one of four processes that claim it at the same moment', async () => {
    const racers = await spawnWorkers(4);
    // All four create and migrate the fresh file at once: migrations must apply exactly once.
    await Promise.all(racers.map((w) => w.request({ op: 'open' })));

    let raced = 0;
    for (let round = 0; round < 20; round++) {
      const fingerprint = `race-${round}`;
      // The request message is the start signal: the four processes receive it within microseconds.
      const replies = await Promise.all(racers.map((w) => w.request<ClaimReply>({ op: 'claim', fingerprint })));
      expect(
        replies.filter((r) => r.claimed),
        fingerprint,
      ).toHaveLength(1);
      for (const reply of replies) expect(reply).toMatchObject({ attempts: 1, version: 1 });
      const [first, second] = [...replies].sort((a, b) => a.startedAt - b.startedAt);
      if (first !== undefined && second !== undefined && second.startedAt < first.endedAt) raced++;
    }
    // Proof the test exercised a race: in some rounds a second claim started before the first ended.
    expect(raced).toBeGreaterThan(0);

    const ledger = openHere();
    expect(await ledger.list({ limit: 1000 })).toHaveLength(20);
    for (let round = 0; round < 20; round++) expect(await ledger.auditTrail(`race-${round}`)).toHaveLength(1);
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: LATEST_SCHEMA_VERSION });
    db.close();
  });

  it('applies migrations once when four processes create the same fresh files at the same moment', async () => {
    const openers = await spawnWorkers(4);
    const count = 60;
    const replies = await Promise.all(openers.map((w) => w.request<boolean[]>({ op: 'openFresh', dir, count })));
    for (let i = 0; i < count; i++) {
      expect(
        replies.filter((claimed) => claimed[i]),
        `fresh-${i}`,
      ).toHaveLength(1);
      const db = new Database(path.join(dir, `fresh-${i}.db`), { readonly: true });
      expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: LATEST_SCHEMA_VERSION });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    }
  });

  it('lets a waiting process observe a decision made by another, and a third see already_decided', async () => {
    const ledger = openHere();
    await ledger.claim(claimOf('fp', { actor: 'workflow:run' }));
    // Deadlines far away: the workers decide at their real clock time.
    for (const id of ['ap-1', 'ap-2']) {
      await ledger.putApproval({ id, fingerprint: 'fp', taskToken: `token-${id}`, requestedAt: T0, expiresAt: later(10 ** 9) });
    }
    const [waiter, decider, latecomer] = await spawnWorkers(3);
    if (waiter === undefined || decider === undefined || latecomer === undefined) throw new Error('spawn failed');
    await Promise.all([waiter, decider, latecomer].map((w) => w.request({ op: 'open' })));

    const observed = waiter.request<{ status: string; decidedBy: string }>({ op: 'waitApproval', approvalId: 'ap-1', pollMs: 10 });
    // Decide only once the waiter has seen the approval pending, so it observes the change.
    await waiter.waitFor((m) => m.type === 'polling');
    const approve = { op: 'decide', approvalId: 'ap-1', decision: 'approved', actor: 'slack:U1' } as const;
    expect(await decider.request(approve)).toEqual({ outcome: 'decided', status: 'approved' });
    expect(await observed).toMatchObject({ status: 'approved', decidedBy: 'slack:U1' });
    const reject = { op: 'decide', approvalId: 'ap-1', decision: 'rejected', actor: 'slack:U2' } as const;
    expect(await latecomer.request(reject)).toEqual({ outcome: 'already_decided', status: 'approved' });
    expect(await ledger.getApproval('ap-1')).toMatchObject({ status: 'approved', decidedBy: 'slack:U1', taskToken: 'token-ap-1' });

    // Two processes clicking at the same moment: exactly one decision counts.
    const raced = await Promise.all([
      decider.request<{ outcome: string }>({ ...approve, approvalId: 'ap-2' }),
      latecomer.request<{ outcome: string }>({ ...reject, approvalId: 'ap-2' }),
    ]);
    expect(raced.map((r) => r.outcome).sort()).toEqual(['already_decided', 'decided']);
  });

  it('never leaves a half-written transition when a writer is SIGKILLed mid-loop', async () => {
    const fingerprints = Array.from({ length: 25 }, (_, i) => `crash-${i}`);
    let acknowledged = 0;
    const killedAfter: number[] = [];
    for (let round = 0; round < 5; round++) {
      const [writer] = await spawnWorkers(1);
      if (writer === undefined) throw new Error('spawn failed');
      await writer.request({ op: 'open' });
      const threshold = 20 + Math.floor(Math.random() * 120);
      void writer.request({ op: 'churn', fingerprints }).catch(() => undefined);
      await writer.waitFor((m) => m.type === 'progress' && m.writes >= threshold);
      writer.child.kill('SIGKILL');
      expect((await writer.exited).signal).toBe('SIGKILL');
      const writes = Math.max(...writer.messages.map((m) => (m.type === 'progress' ? m.writes : 0)));
      killedAfter.push(writes);
      acknowledged += writes;
    }

    const db = new Database(file);
    expect(db.pragma('integrity_check', { simple: true }), `killed after ${killedAfter.join(', ')} writes`).toBe('ok');
    db.close();
    const ledger = openHere();
    const committed = await expectConsistent(ledger, fingerprints);
    // Every write the child reported had committed; at most the one in flight per kill is extra.
    expect(committed).toBeGreaterThanOrEqual(acknowledged);
    expect(committed).toBeLessThanOrEqual(acknowledged + killedAfter.length);

    const [successor] = await spawnWorkers(1);
    if (successor === undefined) throw new Error('spawn failed');
    await successor.request({ op: 'open' });
    expect(await successor.request({ op: 'churn', fingerprints, maxWrites: 50 })).toBe(50);
    expect(await expectConsistent(ledger, fingerprints)).toBe(committed + 50);
  });
});

/**
 * Replay each finding's audit trail and check the stored record agrees: the state is where the last
 * event left it, `version` counts the events and `attempts` the claims. Returns the total writes.
 */
async function expectConsistent(ledger: Ledger, fingerprints: readonly string[]): Promise<number> {
  let total = 0;
  for (const fingerprint of fingerprints) {
    const record = await ledger.get(fingerprint);
    const trail = await ledger.auditTrail(fingerprint);
    let state: FindingState | undefined;
    let attempts = 0;
    for (const event of trail) {
      if (event.type === 'claimed') {
        expect(state === undefined || isReclaimable(state), `${fingerprint} re-claimed from ${state}`).toBe(true);
        state = 'claimed';
        attempts++;
      } else {
        const { from, to } = event.data as { from: FindingState; to: FindingState };
        expect(event.type).toBe('transition');
        expect(from, `${fingerprint} event ${event.seq}`).toBe(state);
        expect(canTransition(from, to)).toBe(true);
        state = to;
      }
    }
    const stored = record && { state: record.state, version: record.version, attempts: record.attempts };
    expect(stored, fingerprint).toEqual(state && { state, version: trail.length, attempts });
    total += trail.length;
  }
  return total;
}
