/**
 * Deciding an approval while the run waiting on it records the decision too: a local waiter reads
 * the consumed approval from the ledger and moves the finding itself, possibly between the
 * decider's read and its move. The decision stands either way; nothing throws.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../../src/ledger/port.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { decideApproval } from '../../src/workflow/approvals.js';
import { T0, driveTo, later } from '../ledger/ledger-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function waitingLedger(): Promise<Ledger> {
  const dir = mkdtempSync(join(tmpdir(), 'cloudmend-decide-'));
  dirs.push(dir);
  const ledger = openSqliteLedger({ path: join(dir, 'ledger.db') });
  await driveTo(ledger, 'fp', 'awaiting_approval');
  await ledger.putApproval({ id: 'apr_1', fingerprint: 'fp', taskToken: 'local:h:1:r:e', requestedAt: T0, expiresAt: later(3600) });
  return ledger;
}

describe('decideApproval', () => {
  it('keeps the decision when the waiting run moved the finding between the read and the move', async () => {
    const ledger = await waitingLedger();
    // The waiter records the rejection right after the decider read the finding.
    const racing: Ledger = new Proxy(ledger, {
      get(target, key) {
        if (key !== 'get') {
          const value = Reflect.get(target, key) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        }
        return async (fingerprint: string) => {
          const read = await target.get(fingerprint);
          await target.transition({
            fingerprint,
            from: 'awaiting_approval',
            to: 'rejected',
            actor: 'waiter',
            at: later(10),
            reason: 'rejected',
          });
          return read;
        };
      },
    });
    const result = await decideApproval(racing, { id: 'apr_1', decision: 'rejected', actor: 'cli:someone', at: later(5) });
    expect(result.outcome).toBe('decided');
    expect(await ledger.getApproval('apr_1')).toMatchObject({ status: 'rejected', decidedBy: 'cli:someone' });
    expect(await ledger.get('fp')).toMatchObject({ state: 'rejected', updatedBy: 'waiter' });
    await ledger.close();
  });

  it('moves the finding itself when nobody else did', async () => {
    const ledger = await waitingLedger();
    await decideApproval(ledger, { id: 'apr_1', decision: 'rejected', actor: 'cli:someone', at: later(5) });
    expect(await ledger.get('fp')).toMatchObject({ state: 'rejected', updatedBy: 'cli:someone' });
    await ledger.close();
  });
});
