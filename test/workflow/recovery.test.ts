/**
 * The stuck-finding decision shared by `run`, `serve` and the AWS sweep, on a real SQLite ledger
 * with an injected clock: what is stuck, what it becomes, and what is left alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../../src/ledger/port.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { FindingState } from '../../src/ledger/states.js';
import { interrupt, sweepStuck, type StuckBounds, type SweepDeps } from '../../src/workflow/recovery.js';
import { T0, claimOf, driveTo, later, move } from '../ledger/ledger-helpers.js';

const HOUR = 3600;
const BOUNDS: StuckBounds = { stuckAfterSeconds: 6 * HOUR, approvalTimeoutSeconds: 24 * HOUR };
const ACTOR = 'cloudmend:sweep';

let dir: string;
let ledger: Ledger;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cloudmend-recovery-'));
  ledger = openSqliteLedger({ path: join(dir, 'ledger.db') });
});
afterEach(async () => {
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The sweep at `T0 + seconds`. */
const sweepAt = (seconds: number, extra: Partial<SweepDeps> = {}) =>
  sweepStuck({ ledger, actor: ACTOR, now: () => later(seconds), bounds: BOUNDS, ...extra });
const stateOf = async (fingerprint: string) => (await ledger.get(fingerprint))?.state;

/** A finding awaiting approval since `T0 + 3s` (the third move of `driveTo`), its approval due at `T0 + deadline`. */
async function awaiting(fingerprint: string, deadline = 24 * HOUR): Promise<string> {
  await driveTo(ledger, fingerprint, 'patched');
  const id = `approval-${fingerprint}`;
  await ledger.putApproval({ id, fingerprint, taskToken: `token-${fingerprint}`, requestedAt: later(3), expiresAt: later(deadline) });
  await ledger.transition(
    move(fingerprint, 'patched', 'awaiting_approval', { at: later(3), data: { approvalId: id, expiresAt: later(deadline).toISOString() } }),
  );
  return id;
}

describe('the stuck-finding sweep', () => {
  it('restarts a finding left in flight once it is past recovery.stuckAfter, with the reason, and not a second before', async () => {
    for (const state of ['claimed', 'located', 'patched', 'approved'] as const satisfies FindingState[])
      await driveTo(ledger, state, state);
    // Claimed at T0, the others moved last at T0 + 1s to T0 + 4s: all stuck once 6h past that.
    expect((await sweepAt(6 * HOUR)).interrupted).toEqual([]);
    expect((await sweepAt(6 * HOUR + 1)).interrupted.map((i) => i.fingerprint)).toEqual(['claimed']);
    const { interrupted, failed } = await sweepAt(6 * HOUR + 5);
    expect(failed).toBe(0);
    expect(interrupted.map((i) => [i.fingerprint, i.from, i.to]).sort()).toEqual([
      ['approved', 'approved', 'failed'],
      ['located', 'located', 'failed'],
      ['patched', 'patched', 'failed'],
    ]);
    const record = await ledger.get('patched');
    expect(record).toMatchObject({ state: 'failed', updatedBy: ACTOR });
    expect(record?.reason).toMatch(
      /^interrupted: nothing moved it from patched since 2025-03-01T12:00:02.000Z, more than 6h \(recovery.stuckAfter\)/,
    );
  });

  it('leaves terminal findings alone, however old', async () => {
    for (const state of ['pr_opened', 'failed', 'skipped', 'expired', 'blocked'] as const satisfies FindingState[])
      await driveTo(ledger, state, state);
    expect((await sweepAt(90 * 86_400)).interrupted).toEqual([]);
  });

  it('waits for an approval until its deadline and stuckAfter more, then ends the finding expired with its approval', async () => {
    const id = await awaiting('waiting');
    // Due at T0 + 24h, requested at T0 + 3s: listed once 24h + 6h behind that, stuck 6h past the deadline.
    expect((await sweepAt(30 * HOUR + 3)).interrupted).toEqual([]);
    expect((await ledger.getApproval(id))?.status).toBe('pending');
    expect((await sweepAt(30 * HOUR + 4)).interrupted).toEqual([
      expect.objectContaining({
        fingerprint: 'waiting',
        from: 'awaiting_approval',
        to: 'expired',
        reason: expect.stringMatching(/nobody decided by 2025-03-02T12:00:00.000Z/) as unknown,
      }),
    ]);
    expect((await ledger.getApproval(id))?.status).toBe('expired');
  });

  it('restarts a finding whose approval was decided but never carried to it', async () => {
    const id = await awaiting('decided');
    await ledger.decideApproval({ id, decision: 'approved', actor: 'slack:U1', at: later(60) });
    expect((await sweepAt(30 * HOUR + 4)).interrupted).toEqual([expect.objectContaining({ fingerprint: 'decided', to: 'failed' })]);
    expect((await ledger.getApproval(id))?.status).toBe('approved');
  });

  it('takes a finding known interrupted at once, whatever its age, and restarts one awaiting approval to be asked again', async () => {
    await ledger.claim(claimOf('young', { at: later(60) }));
    await awaiting('asking');
    await driveTo(ledger, 'done', 'pr_opened');
    const { interrupted } = await sweepAt(120, { knownInterrupted: (r) => `process 42 ended while the finding was ${r.state}` });
    expect(interrupted.map((i) => [i.fingerprint, i.to, i.reason]).sort()).toEqual([
      ['asking', 'failed', 'interrupted: process 42 ended while the finding was awaiting_approval'],
      ['young', 'failed', 'interrupted: process 42 ended while the finding was claimed'],
    ]);
    expect((await ledger.getApproval('approval-asking'))?.status).toBe('expired');
  });

  it('does not let findings waiting their approvers crowd a stuck one out of the limit', async () => {
    await ledger.claim(claimOf('stuck', { at: T0 }));
    // Newer than the stuck one, older than its bound, and legitimately waiting for a day.
    for (const n of [1, 2, 3]) await awaiting(`waiting-${n}`);
    expect((await sweepAt(7 * HOUR, { limit: 1 })).interrupted.map((i) => i.fingerprint)).toEqual(['stuck']);
  });

  it('leaves a finding that moved after it was listed: its run was alive after all', async () => {
    const listed = await driveTo(ledger, 'alive', 'located');
    await ledger.transition(move('alive', 'located', 'patched', { at: later(10) }));
    expect(await interrupt(ledger, listed, 'test', ACTOR, later(7 * HOUR), BOUNDS)).toBeUndefined();
    expect(await stateOf('alive')).toBe('patched');
  });

  it('counts and reports a finding it cannot record, and goes on with the others', async () => {
    for (const fp of ['a', 'b', 'c']) await ledger.claim(claimOf(fp));
    const broken: Ledger = new Proxy(ledger, {
      get(target, key) {
        if (key === 'transition')
          return (input: Parameters<Ledger['transition']>[0]) =>
            input.fingerprint === 'b' ? Promise.reject(new Error('throttled')) : target.transition(input);
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const reports: string[] = [];
    const summary = await sweepStuck({
      ledger: broken,
      actor: ACTOR,
      now: () => later(7 * HOUR),
      bounds: BOUNDS,
      report: (m) => reports.push(m),
    });
    expect(summary.failed).toBe(1);
    expect(summary.interrupted.map((i) => i.fingerprint).sort()).toEqual(['a', 'c']);
    expect(reports).toEqual(['recording finding b as interrupted failed: Error: throttled']);
    expect(await stateOf('b')).toBe('claimed');
  });
});
