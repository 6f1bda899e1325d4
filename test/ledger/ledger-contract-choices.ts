/** Contract: the choice an approver picked (drift approvals), stored with the winning decision only. */
import { describe, expect, it } from 'vitest';
import type { Ledger, NewApproval } from '../../src/ledger/port.js';
import { T0, catchError, later, useFreshLedger, type OpenLedger } from './ledger-helpers.js';
import type { ContractOptions } from './ledger-helpers.js';

export function describeChoiceContract(open: OpenLedger, options: ContractOptions = {}): void {
  let ledger: Ledger;
  const expiresAt = later(3600);
  const approval: NewApproval = { id: 'ap-1', fingerprint: 'fp', taskToken: 'token', requestedAt: T0, expiresAt };

  describe('approval choices', () => {
    // Inside the describe: only these tests open a ledger for this section.
    useFreshLedger(open, (opened) => (ledger = opened));

    it.each([
      ['approved', 'codify'],
      ['rejected', 'revert'],
      ['rejected', 'ignore'],
    ] as const)('stores a %s decision with choice %s and returns it from getApproval and listApprovals', async (decision, choice) => {
      await ledger.putApproval(approval);
      const result = await ledger.decideApproval({ id: 'ap-1', decision, choice, actor: 'slack:U1', at: later(60) });
      expect(result).toMatchObject({ outcome: 'decided', approval: { status: decision, choice, decidedBy: 'slack:U1' } });
      const stored = await ledger.getApproval('ap-1');
      expect(stored).toEqual(result.outcome === 'decided' ? result.approval : undefined);
      expect(await ledger.listApprovals({ status: decision })).toEqual([stored]);
      expect(await ledger.listApprovals()).toEqual([stored]);
    });

    it('leaves the choice undefined for pending approvals and plain decisions', async () => {
      await ledger.putApproval(approval);
      expect((await ledger.getApproval('ap-1'))?.choice).toBeUndefined();
      await ledger.decideApproval({ id: 'ap-1', decision: 'approved', actor: 'slack:U1', at: later(60) });
      expect(await ledger.getApproval('ap-1')).toMatchObject({ status: 'approved', choice: undefined });
    });

    it('changes nothing when a second decision brings another choice', async () => {
      await ledger.putApproval(approval);
      await ledger.decideApproval({ id: 'ap-1', decision: 'approved', choice: 'codify', actor: 'slack:U1', at: later(60) });
      const first = await ledger.getApproval('ap-1');
      const second = await ledger.decideApproval({ id: 'ap-1', decision: 'rejected', choice: 'ignore', actor: 'slack:U2', at: later(61) });
      expect(second).toEqual({ outcome: 'already_decided', approval: first });
      expect(first).toMatchObject({ status: 'approved', choice: 'codify', decidedBy: 'slack:U1' });
      expect(await ledger.getApproval('ap-1')).toEqual(first);
    });

    it('adds no choice to an approval decided without one', async () => {
      await ledger.putApproval(approval);
      await ledger.decideApproval({ id: 'ap-1', decision: 'rejected', actor: 'slack:U1', at: later(60) });
      const second = await ledger.decideApproval({ id: 'ap-1', decision: 'rejected', choice: 'revert', actor: 'slack:U2', at: later(61) });
      expect(second).toMatchObject({ outcome: 'already_decided', approval: { choice: undefined, decidedBy: 'slack:U1' } });
      expect((await ledger.getApproval('ap-1'))?.choice).toBeUndefined();
    });

    it('stores no choice when a late click turns into expired', async () => {
      await ledger.putApproval(approval);
      const result = await ledger.decideApproval({ id: 'ap-1', decision: 'approved', choice: 'codify', actor: 'slack:U1', at: expiresAt });
      expect(result).toMatchObject({ outcome: 'expired', approval: { status: 'expired', choice: undefined } });
      expect((await ledger.getApproval('ap-1'))?.choice).toBeUndefined();
    });

    it.skipIf(options.atomicUnderConcurrency === false)('keeps the choice of whichever of many concurrent decisions won', async () => {
      await ledger.putApproval(approval);
      const clicks = [
        { decision: 'approved', choice: 'codify' },
        { decision: 'rejected', choice: 'revert' },
        { decision: 'rejected', choice: 'ignore' },
        { decision: 'approved', choice: 'codify' },
      ] as const;
      const results = await Promise.all(
        clicks.map((click, i) => ledger.decideApproval({ id: 'ap-1', ...click, actor: `slack:U${i}`, at: later(60) })),
      );
      const winners = results.filter((r) => r.outcome === 'decided');
      expect(winners).toHaveLength(1);
      const stored = await ledger.getApproval('ap-1');
      const winner = clicks[Number(stored?.decidedBy?.slice('slack:U'.length))];
      expect(stored).toMatchObject({ status: winner?.decision, choice: winner?.choice });
      expect(winners[0]).toEqual({ outcome: 'decided', approval: stored });
    });

    it.each(['a', 'codify', 'do_not_touch', `x${'_'.repeat(31)}`])('accepts the choice %s', async (choice) => {
      await ledger.putApproval(approval);
      const result = await ledger.decideApproval({ id: 'ap-1', decision: 'approved', choice, actor: 'cli:a', at: later(60) });
      expect(result).toMatchObject({ outcome: 'decided', approval: { choice } });
    });

    it.each(['', 'Codify', '_ignore', '1st', 'code-fix', 're vert', ' codify', 'codify\n', 'codifé', `x${'a'.repeat(32)}`])(
      'refuses the choice %j with RangeError and leaves the approval pending',
      async (choice) => {
        await ledger.putApproval(approval);
        const error = await catchError(ledger.decideApproval({ id: 'ap-1', decision: 'approved', choice, actor: 'cli:a', at: later(60) }));
        expect(error).toBeInstanceOf(RangeError);
        expect((error as Error).message).toContain('^[a-z][a-z_]{0,31}$');
        expect(await ledger.getApproval('ap-1')).toMatchObject({ status: 'pending', decidedBy: undefined, choice: undefined });
        const retry = await ledger.decideApproval({ id: 'ap-1', decision: 'approved', choice: 'codify', actor: 'cli:a', at: later(61) });
        expect(retry.outcome).toBe('decided');
      },
    );

    it('refuses a malformed choice even for an unknown id', async () => {
      const error = await catchError(ledger.decideApproval({ id: 'nope', decision: 'rejected', choice: 'IGNORE', actor: 'cli:a', at: T0 }));
      expect(error).toBeInstanceOf(RangeError);
    });
  });
}
