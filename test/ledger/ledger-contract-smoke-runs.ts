/** Contract: smoke runs (`cloudmend smoke`), the record that lets a smoke finding's fix be based on its scratch branch. */
import { describe, expect, it } from 'vitest';
import { LedgerConflictError } from '../../src/ledger/errors.js';
import type { Ledger, SmokeRun } from '../../src/ledger/port.js';
import { T0, catchError, later, useFreshLedger, type OpenLedger } from './ledger-helpers.js';

const RUN: SmokeRun = { runId: '0123456789ab', repository: 'infra', by: 'cli:alice', startedAt: T0, expiresAt: later(3600) };

export function describeSmokeRunContract(open: OpenLedger): void {
  let ledger: Ledger;

  describe('smoke runs', () => {
    useFreshLedger(open, (opened) => (ledger = opened));

    it('keeps a smoke run, expired or not, and knows no other', async () => {
      await ledger.recordSmokeRun(RUN);
      expect(await ledger.smokeRun(RUN.runId)).toEqual(RUN);
      const ended = { ...RUN, runId: 'ffffffffffff', expiresAt: new Date('2001-01-01T00:00:00.000Z') };
      await ledger.recordSmokeRun(ended);
      expect(await ledger.smokeRun(ended.runId)).toEqual(ended);
      expect(await ledger.smokeRun('0123456789ac')).toBeUndefined();
      expect(await ledger.smokeRun('')).toBeUndefined();
    });

    it('records the same run again without change, and refuses the same id with other values', async () => {
      await ledger.recordSmokeRun(RUN);
      await ledger.recordSmokeRun({ ...RUN });
      const error = await catchError(ledger.recordSmokeRun({ ...RUN, repository: 'other' }));
      expect(error).toBeInstanceOf(LedgerConflictError);
      expect((error as Error).message).toContain('smoke run 0123456789ab is already recorded (repository infra');
      expect(await ledger.smokeRun(RUN.runId)).toEqual(RUN);
    });

    it('refuses a run id that is not 12 lowercase hexadecimal digits with RangeError, writing nothing', async () => {
      for (const runId of ['0123456789AB', '0123456789a', '0123456789abc', '../../etc/pa']) {
        await expect(ledger.recordSmokeRun({ ...RUN, runId })).rejects.toThrow(RangeError);
        expect(await ledger.smokeRun(runId)).toBeUndefined();
      }
    });
  });
}
