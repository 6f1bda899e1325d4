/** Contract: claim, recordSkip, transition, retry, get and list. */
import { describe, expect, it } from 'vitest';
import { InvalidTransitionError, LedgerConflictError, LedgerNotFoundError } from '../../src/ledger/errors.js';
import type { FindingSummary, Ledger } from '../../src/ledger/port.js';
import { FINDING_STATES, RECLAIMABLE_STATES, isReclaimable, type FindingState } from '../../src/ledger/states.js';
import { T0, catchError, claimOf, driveTo, later, move, skipOf, summary, useFreshLedger, type OpenLedger } from './ledger-helpers.js';
import type { ContractOptions } from './ledger-helpers.js';

const NOT_RECLAIMABLE = FINDING_STATES.filter((state) => !isReclaimable(state));

export function describeFindingContract(open: OpenLedger, options: ContractOptions = {}): void {
  let ledger: Ledger;
  useFreshLedger(open, (opened) => (ledger = opened));

  describe('claim', () => {
    it('claims a new fingerprint with version 1 and attempts 1', async () => {
      const result = await ledger.claim(claimOf('fp', { actor: 'cli:ana' }));
      expect(result.claimed).toBe(true);
      expect(result.record).toMatchObject({ fingerprint: 'fp', state: 'claimed', version: 1, attempts: 1, summary });
      expect(result.record).toMatchObject({ createdAt: T0, updatedAt: T0, updatedBy: 'cli:ana' });
      expect(await ledger.get('fp')).toEqual(result.record);
    });

    it('returns claimed: false and the unchanged record when the fingerprint is already claimed', async () => {
      const first = await ledger.claim(claimOf('fp', { actor: 'a' }));
      const second = await ledger.claim(claimOf('fp', { actor: 'b', at: later(1) }));
      expect(second).toEqual({ claimed: false, record: first.record });
    });

    it.each(NOT_RECLAIMABLE)('refuses to claim a finding in state %s', async (state) => {
      const before = await driveTo(ledger, 'fp', state);
      const result = await ledger.claim(claimOf('fp', { actor: 'b', at: later(60) }));
      expect(result).toEqual({ claimed: false, record: before });
    });

    it('re-claims a skipped finding, counting the attempt and refreshing the summary', async () => {
      await ledger.recordSkip(skipOf('fp', 'excluded account'));
      const refreshed: FindingSummary = { ...summary, title: 'new title' };
      const result = await ledger.claim(claimOf('fp', { summary: refreshed, actor: 'b', at: later(1) }));
      expect(result.claimed).toBe(true);
      expect(result.record).toMatchObject({ state: 'claimed', version: 2, attempts: 1, summary: refreshed });
      expect(result.record).toMatchObject({ reason: undefined, createdAt: T0, updatedAt: later(1), updatedBy: 'b' });
    });

    it('re-claims a failed finding and increments attempts each time', async () => {
      for (let attempt = 1; attempt <= 3; attempt++) {
        const result = await ledger.claim(claimOf('fp', { at: later(attempt) }));
        expect(result).toMatchObject({ claimed: true, record: { attempts: attempt } });
        await ledger.transition(move('fp', 'claimed', 'failed', { at: later(attempt), reason: 'boom' }));
      }
      expect(await ledger.get('fp')).toMatchObject({ state: 'failed', attempts: 3, version: 6, reason: 'boom' });
    });

    it.skipIf(options.atomicUnderConcurrency === false)('lets exactly one of many concurrent claims win', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => ledger.claim(claimOf('fp', { actor: `w${i}` }))));
      expect(results.filter((r) => r.claimed)).toHaveLength(1);
      expect(await ledger.get('fp')).toMatchObject({ version: 1, attempts: 1 });
    });
  });

  describe('retry', () => {
    const retryOf = (fingerprint: string) => ({ fingerprint, actor: 'cli:ana', at: later(120), reason: 'tagged the bucket' });

    it.each(['no_target', 'pr_opened', 'rejected'] as const)('puts a %s finding back to work, recording who and why', async (state) => {
      const before = await driveTo(ledger, 'fp', state);
      const record = await ledger.retry(retryOf('fp'));
      expect(record).toMatchObject({ state: 'failed', reason: 'retry: tagged the bucket', version: before.version + 1 });
      expect(record).toMatchObject({ attempts: before.attempts, updatedBy: 'cli:ana', updatedAt: later(120) });
      expect((await ledger.auditTrail('fp')).at(-1)).toMatchObject({
        type: 'retry',
        actor: 'cli:ana',
        at: later(120),
        data: { from: state, to: 'failed', reason: 'retry: tagged the bucket' },
      });
      expect(await ledger.claim(claimOf('fp', { at: later(180) }))).toMatchObject({ claimed: true, record: { state: 'claimed' } });
    });

    it.each(['claimed', 'awaiting_approval'] as const)('refuses a finding in flight (%s) and changes nothing', async (state) => {
      const before = await driveTo(ledger, 'fp', state);
      const error = await catchError(ledger.retry(retryOf('fp')));
      expect(error).toBeInstanceOf(LedgerConflictError);
      expect((error as LedgerConflictError).currentState).toBe(state);
      expect(await ledger.get('fp')).toEqual(before);
    });

    it('refuses an unknown fingerprint', async () => {
      expect(await catchError(ledger.retry(retryOf('nope')))).toBeInstanceOf(LedgerNotFoundError);
    });
  });

  describe('recordSkip', () => {
    it('records a new finding as skipped with attempts 0 and the reason', async () => {
      const result = await ledger.recordSkip(skipOf('fp', 'severity below threshold'));
      expect(result.recorded).toBe(true);
      expect(result.record).toMatchObject({ state: 'skipped', version: 1, attempts: 0, reason: 'severity below threshold' });
    });

    it.each(RECLAIMABLE_STATES)('overwrites a %s finding, keeping its attempts', async (state) => {
      const before = await driveTo(ledger, 'fp', state);
      const result = await ledger.recordSkip(skipOf('fp', 'now excluded', { actor: 'b', at: later(60) }));
      expect(result.recorded).toBe(true);
      expect(result.record).toMatchObject({
        state: 'skipped',
        version: before.version + 1,
        attempts: before.attempts,
        reason: 'now excluded',
        updatedBy: 'b',
      });
    });

    it.each(NOT_RECLAIMABLE)('never clobbers a finding in state %s', async (state) => {
      const before = await driveTo(ledger, 'fp', state);
      const result = await ledger.recordSkip(skipOf('fp', 'late skip', { actor: 'b', at: later(60) }));
      expect(result).toEqual({ recorded: false, record: before });
      expect(await ledger.get('fp')).toEqual(before);
    });
  });

  describe('transition', () => {
    it('moves the finding, bumps the version and stores reason, data, time and actor', async () => {
      await ledger.claim(claimOf('fp'));
      const data = { file: 'main.tf' };
      const located = await ledger.transition(move('fp', 'claimed', 'located', { actor: 'b', at: later(1), data }));
      expect(located).toMatchObject({ state: 'located', version: 2, attempts: 1, data: { file: 'main.tf' } });
      expect(located).toMatchObject({ createdAt: T0, updatedAt: later(1), updatedBy: 'b' });
      const noFix = await ledger.transition(move('fp', 'located', 'no_fix', { actor: 'c', at: later(2), reason: 'no skill' }));
      expect(noFix).toMatchObject({ state: 'no_fix', version: 3, reason: 'no skill', data: undefined });
      expect(await ledger.get('fp')).toEqual(noFix);
    });

    it('raises the summary severity when the move says one (a drift security rule), and keeps it otherwise', async () => {
      await ledger.claim(claimOf('fp'));
      await ledger.transition(move('fp', 'claimed', 'located'));
      const raised = await ledger.transition(move('fp', 'located', 'patched', { severity: 'CRITICAL' }));
      expect(raised.summary.severity).toBe('CRITICAL');
      expect((await ledger.transition(move('fp', 'patched', 'recommended'))).summary.severity).toBe('CRITICAL');
      expect((await ledger.get('fp'))?.summary).toEqual({ ...claimOf('fp').summary, severity: 'CRITICAL' });
    });

    it('accepts any of several expected states', async () => {
      await driveTo(ledger, 'fp', 'approved');
      const data = { url: 'https://github.com/acme/infra/pull/1' };
      const record = await ledger.transition(move('fp', ['patched', 'approved'], 'pr_opened', { data }));
      expect(record).toMatchObject({ state: 'pr_opened', data });
    });

    it('throws LedgerConflictError carrying the current record when the finding moved on', async () => {
      const current = await driveTo(ledger, 'fp', 'located');
      const error = await catchError(ledger.transition(move('fp', 'claimed', 'failed', { at: later(9) })));
      expect(error).toBeInstanceOf(LedgerConflictError);
      expect(error).toMatchObject({ record: current, currentState: 'located', fingerprint: 'fp' });
      expect(await ledger.get('fp')).toEqual(current);
    });

    it.each<[FindingState | FindingState[], FindingState]>([
      ['claimed', 'pr_opened'],
      ['claimed', 'claimed'],
      ['failed', 'claimed'],
      ['skipped', 'located'],
      ['pr_opened', 'failed'],
      [['claimed', 'patched'], 'located'],
      [[], 'failed'],
    ])('throws InvalidTransitionError for %j → %s and changes nothing', async (from, to) => {
      const before = await driveTo(ledger, 'fp', 'claimed');
      const error = await catchError(ledger.transition(move('fp', from, to, { at: later(9) })));
      expect(error).toBeInstanceOf(InvalidTransitionError);
      expect(await ledger.get('fp')).toEqual(before);
    });

    it('checks the move before the stored state: an invalid move on an unknown fingerprint is invalid', async () => {
      const error = await catchError(ledger.transition(move('nope', 'claimed', 'pr_opened')));
      expect(error).toBeInstanceOf(InvalidTransitionError);
    });

    it('throws LedgerNotFoundError for an unknown fingerprint', async () => {
      const error = await catchError(ledger.transition(move('nope', 'claimed', 'located')));
      expect(error).toBeInstanceOf(LedgerNotFoundError);
      expect(await ledger.get('nope')).toBeUndefined();
    });
  });

  describe('get and list', () => {
    it('returns undefined for an unknown fingerprint', async () => {
      expect(await ledger.get('nope')).toBeUndefined();
    });

    it('lists most recently updated first and honours the limit', async () => {
      for (const [fingerprint, minute] of [
        ['b', 2],
        ['c', 3],
        ['a', 1],
      ] as const) {
        await ledger.claim(claimOf(fingerprint, { at: later(minute * 60) }));
      }
      const fingerprints = async (limit?: number) => (await ledger.list({ limit })).map((r) => r.fingerprint);
      expect(await fingerprints()).toEqual(['c', 'b', 'a']);
      expect(await fingerprints(2)).toEqual(['c', 'b']);
      expect(await fingerprints(0)).toEqual([]);
      await ledger.transition(move('a', 'claimed', 'located', { at: later(600) }));
      expect(await fingerprints()).toEqual(['a', 'c', 'b']);
    });

    it('filters by one state or several', async () => {
      await driveTo(ledger, 'claimed-1', 'claimed');
      await driveTo(ledger, 'failed-1', 'failed');
      await driveTo(ledger, 'skipped-1', 'skipped');
      expect((await ledger.list({ state: 'failed' })).map((r) => r.fingerprint)).toEqual(['failed-1']);
      const reclaimable = await ledger.list({ state: RECLAIMABLE_STATES });
      expect(reclaimable.map((r) => r.fingerprint).sort()).toEqual(['failed-1', 'skipped-1']);
      expect(await ledger.list({ state: [] })).toEqual([]);
      expect(await ledger.list({ state: 'pr_opened' })).toEqual([]);
    });

    it('lists only findings updated strictly before updatedBefore, with or without states', async () => {
      for (const [fingerprint, minute] of [
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ] as const)
        await ledger.claim(claimOf(fingerprint, { at: later(minute * 60) }));
      await ledger.transition(move('a', 'claimed', 'located', { at: later(4 * 60) }));
      const before = async (minute: number, state?: FindingState | FindingState[]) =>
        (await ledger.list({ state, updatedBefore: later(minute * 60) })).map((r) => r.fingerprint);
      expect(await before(3)).toEqual(['b']);
      expect(await before(3, 'claimed')).toEqual(['b']);
      expect(await before(4, ['claimed', 'located'])).toEqual(['c', 'b']);
      expect(await before(5, 'located')).toEqual(['a']);
      expect(await before(2)).toEqual([]);
    });

    it('returns at most 100 findings by default', async () => {
      for (let i = 0; i < 101; i++) await ledger.claim(claimOf(`fp-${i}`, { at: later(i) }));
      const listed = await ledger.list();
      expect(listed).toHaveLength(100);
      expect(listed[0]?.fingerprint).toBe('fp-100');
    });
  });
}
