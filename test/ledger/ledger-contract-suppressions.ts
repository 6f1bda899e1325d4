/** Contract: suppressions ("ignore this drift on this resource until..."): one per key, newest decision wins. */
import { describe, expect, it } from 'vitest';
import type { Ledger, Suppression } from '../../src/ledger/port.js';
import { T0, catchError, later, useFreshLedger, type OpenLedger } from './ledger-helpers.js';
import type { ContractOptions } from './ledger-helpers.js';

const KEY = 'drift:aws:123456789012:eu-west-1:AWS::S3::Bucket/logs';
const DAY = 86_400;

/** A suppression of `KEY` for a day, decided at `T0`, with `extra` overriding any field. */
function suppressionOf(extra: Partial<Suppression> = {}): Suppression {
  return { key: KEY, until: later(DAY), actor: 'slack:U1', at: T0, reason: 'ignore chosen on ap-1', fingerprint: 'fp', ...extra };
}

export function describeSuppressionContract(open: OpenLedger, options: ContractOptions = {}): void {
  let ledger: Ledger;

  describe('suppressions', () => {
    // Inside the describe: only these tests open a ledger for this section.
    useFreshLedger(open, (opened) => (ledger = opened));

    it('returns the suppression in force until the moment it ends', async () => {
      const suppression = suppressionOf();
      await ledger.suppress(suppression);
      expect(await ledger.activeSuppression(KEY, T0)).toEqual(suppression);
      expect(await ledger.activeSuppression(KEY, new Date(later(DAY).getTime() - 1))).toEqual(suppression);
      expect(await ledger.activeSuppression(KEY, later(DAY))).toBeUndefined();
      expect(await ledger.activeSuppression(KEY, later(2 * DAY))).toBeUndefined();
    });

    it('answers undefined for an expired suppression, even one that ended long ago', async () => {
      await ledger.suppress(suppressionOf({ until: later(60) }));
      expect(await ledger.activeSuppression(KEY, later(61))).toBeUndefined();
      await ledger.suppress(
        suppressionOf({ key: 'old', until: new Date('2001-01-01T00:00:00.000Z'), at: new Date('2000-12-31T00:00:00.000Z') }),
      );
      expect(await ledger.activeSuppression('old', T0)).toBeUndefined();
    });

    it('answers undefined for unknown keys and keys that can never be stored', async () => {
      await ledger.suppress(suppressionOf());
      expect(await ledger.activeSuppression('drift:aws:123456789012:eu-west-1:AWS::S3::Bucket/other', T0)).toBeUndefined();
      expect(await ledger.activeSuppression(`${KEY}/`, T0)).toBeUndefined();
      expect(await ledger.activeSuppression(KEY.slice(0, -1), T0)).toBeUndefined();
      expect(await ledger.activeSuppression('', T0)).toBeUndefined();
      expect(await ledger.activeSuppression('x'.repeat(513), T0)).toBeUndefined();
    });

    it('keeps no fingerprint when none is given', async () => {
      await ledger.suppress(suppressionOf({ fingerprint: undefined }));
      expect(await ledger.activeSuppression(KEY, T0)).toMatchObject({ key: KEY, fingerprint: undefined });
    });

    it('replaces the suppression of a key with a newer decision, which may also end it', async () => {
      await ledger.suppress(suppressionOf());
      const longer = suppressionOf({ until: later(30 * DAY), at: later(60), actor: 'cli:b', reason: 'longer', fingerprint: 'fp2' });
      await ledger.suppress(longer);
      expect(await ledger.activeSuppression(KEY, later(2 * DAY))).toEqual(longer);
      await ledger.suppress(suppressionOf({ until: later(120), at: later(120), reason: 'lifted' }));
      expect(await ledger.activeSuppression(KEY, later(120))).toBeUndefined();
    });

    it('lets a decision made at the same time as the stored one replace it', async () => {
      await ledger.suppress(suppressionOf());
      const same = suppressionOf({ reason: 'second click', until: later(2 * DAY) });
      await ledger.suppress(same);
      expect(await ledger.activeSuppression(KEY, T0)).toEqual(same);
    });

    it('keeps the newer decision when an older one arrives late, and records nothing for it', async () => {
      const newer = suppressionOf({ at: later(60), reason: 'newer' });
      await ledger.suppress(newer);
      await ledger.suppress(suppressionOf({ at: T0, until: later(30 * DAY), reason: 'older' }));
      expect(await ledger.activeSuppression(KEY, later(61))).toEqual(newer);
      expect((await ledger.auditTrail('fp')).map((e) => e.data?.reason)).toEqual(['newer']);
    });

    it.skipIf(options.atomicUnderConcurrency === false)('keeps the newest of many concurrent decisions', async () => {
      const decisions = [3, 1, 4, 2].map((n) => suppressionOf({ at: later(n), reason: `decision ${n}`, actor: `slack:U${n}` }));
      await Promise.all(decisions.map((s) => ledger.suppress(s)));
      expect(await ledger.activeSuppression(KEY, later(5))).toMatchObject({ reason: 'decision 4', actor: 'slack:U4' });
    });

    it('records suppression.set in the audit trail of the finding', async () => {
      await ledger.suppress(suppressionOf());
      const trail = await ledger.auditTrail('fp');
      expect(trail).toHaveLength(1);
      expect(trail[0]).toMatchObject({
        fingerprint: 'fp',
        type: 'suppression.set',
        actor: 'slack:U1',
        at: T0,
        data: { key: KEY, until: later(DAY).toISOString(), reason: 'ignore chosen on ap-1' },
      });
    });

    it('keeps suppressions of different keys apart', async () => {
      const a = suppressionOf({ key: 'drift:a', reason: 'a' });
      const ab = suppressionOf({ key: 'drift:a:b', reason: 'ab', until: later(60) });
      await ledger.suppress(a);
      await ledger.suppress(ab);
      expect(await ledger.activeSuppression('drift:a', later(120))).toEqual(a);
      expect(await ledger.activeSuppression('drift:a:b', later(120))).toBeUndefined();
      expect(await ledger.activeSuppression('drift:a:b', later(30))).toEqual(ab);
    });

    it.each([
      ['512 ASCII characters', 'k'.repeat(512)],
      ['512 characters of 3 UTF-8 bytes each', '修'.repeat(512)],
      ['256 astral characters (512 UTF-16 units)', '🛡'.repeat(256)],
      ['separators and quotes', `drift:aws:1:eu-west-1:a#b|c"d'e%_\u0001/${'z'.repeat(400)}`],
    ])('stores a key of %s', async (_, key) => {
      const suppression = suppressionOf({ key });
      await ledger.suppress(suppression);
      expect(await ledger.activeSuppression(key, T0)).toEqual(suppression);
    });

    it.each([
      ['empty', ''],
      ['513 characters long', 'k'.repeat(513)],
      ['257 astral characters long (514 UTF-16 units)', '🛡'.repeat(257)],
    ])('refuses a key that is %s with RangeError, storing and recording nothing', async (_, key) => {
      const error = await catchError(ledger.suppress(suppressionOf({ key })));
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toContain('1 to 512 characters');
      expect(await ledger.auditTrail('fp')).toEqual([]);
      expect(await ledger.activeSuppression(key.slice(0, 512), T0)).toBeUndefined();
    });
  });
}
