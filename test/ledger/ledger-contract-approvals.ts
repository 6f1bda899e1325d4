/** Contract: approvals (put, get, decide exactly once) and the audit trail. */
import { describe, expect, it } from 'vitest';
import { LedgerConflictError } from '../../src/ledger/errors.js';
import type { Ledger, NewApproval } from '../../src/ledger/port.js';
import { T0, catchError, claimOf, driveTo, errorText, later, move, skipOf, useFreshLedger, type OpenLedger } from './ledger-helpers.js';
import type { ContractOptions } from './ledger-helpers.js';

/** A token-like string of `length` characters. */
function tokenOf(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
  return Array.from({ length }, (_, i) => alphabet[(i * 7 + Math.floor(i / 64)) % alphabet.length]).join('');
}

export function describeApprovalContract(open: OpenLedger, options: ContractOptions = {}): void {
  let ledger: Ledger;
  useFreshLedger(open, (opened) => (ledger = opened));
  const expiresAt = later(3600);
  const approval: NewApproval = { id: 'ap-1', fingerprint: 'fp', taskToken: 'token', requestedAt: T0, expiresAt };

  describe('approvals', () => {
    it.each([2048, 4096])('stores a %i-character task token in full', async (length) => {
      const taskToken = tokenOf(length);
      await ledger.putApproval({ ...approval, taskToken, channel: 'C123', messageTs: '1712345678.000100' });
      expect(await ledger.getApproval('ap-1')).toEqual({
        ...approval,
        taskToken,
        channel: 'C123',
        messageTs: '1712345678.000100',
        status: 'pending',
        decidedAt: undefined,
        decidedBy: undefined,
      });
    });

    it('refuses a duplicate id with LedgerConflictError that never shows the task token', async () => {
      const taskToken = tokenOf(4096);
      await ledger.putApproval({ ...approval, taskToken });
      const error = await catchError(ledger.putApproval({ ...approval, taskToken: tokenOf(2048) }));
      expect(error).toBeInstanceOf(LedgerConflictError);
      expect(errorText(error)).not.toContain(taskToken.slice(0, 64));
      expect(await ledger.getApproval('ap-1')).toMatchObject({ taskToken });
    });

    it('returns undefined and not_found for an unknown id', async () => {
      expect(await ledger.getApproval('nope')).toBeUndefined();
      const result = await ledger.decideApproval({ id: 'nope', decision: 'approved', actor: 'a', at: T0 });
      expect(result).toEqual({ outcome: 'not_found' });
    });

    it.each(['approved', 'rejected', 'expired'] as const)('decides once with %s', async (decision) => {
      await ledger.putApproval(approval);
      const result = await ledger.decideApproval({ id: 'ap-1', decision, actor: 'slack:U1', at: later(60) });
      const stored = await ledger.getApproval('ap-1');
      expect(stored).toMatchObject({ status: decision, decidedBy: 'slack:U1', decidedAt: later(60), taskToken: 'token' });
      expect(result).toEqual({ outcome: 'decided', approval: stored });
    });

    it('answers already_decided to a second decision and keeps the first', async () => {
      await ledger.putApproval(approval);
      await ledger.decideApproval({ id: 'ap-1', decision: 'approved', actor: 'slack:U1', at: later(60) });
      const second = await ledger.decideApproval({ id: 'ap-1', decision: 'rejected', actor: 'slack:U2', at: later(61) });
      expect(second).toMatchObject({ outcome: 'already_decided', approval: { status: 'approved', decidedBy: 'slack:U1' } });
    });

    it.each([
      ['at the deadline', 0],
      ['after the deadline', 1],
    ])('turns a decision %s into expired, once', async (_, afterMs) => {
      await ledger.putApproval(approval);
      const at = new Date(expiresAt.getTime() + afterMs);
      const result = await ledger.decideApproval({ id: 'ap-1', decision: 'approved', actor: 'slack:U1', at });
      expect(result).toMatchObject({ outcome: 'expired', approval: { status: 'expired', decidedAt: at } });
      expect(await ledger.getApproval('ap-1')).toMatchObject({ status: 'expired' });
      const retry = await ledger.decideApproval({ id: 'ap-1', decision: 'approved', actor: 'slack:U1', at });
      expect(retry.outcome).toBe('already_decided');
    });

    it('accepts a decision one millisecond before the deadline', async () => {
      await ledger.putApproval(approval);
      const at = new Date(expiresAt.getTime() - 1);
      const result = await ledger.decideApproval({ id: 'ap-1', decision: 'rejected', actor: 'slack:U1', at });
      expect(result).toMatchObject({ outcome: 'decided', approval: { status: 'rejected' } });
    });

    it.skipIf(options.atomicUnderConcurrency === false)('lets exactly one of many concurrent decisions win', async () => {
      await ledger.putApproval(approval);
      const decisions = ['approved', 'rejected', 'approved', 'rejected'] as const;
      const results = await Promise.all(
        decisions.map((decision, i) => ledger.decideApproval({ id: 'ap-1', decision, actor: `slack:U${i}`, at: later(60) })),
      );
      const outcomes = results.map((r) => r.outcome).sort();
      expect(outcomes).toEqual(['already_decided', 'already_decided', 'already_decided', 'decided']);
    });
    it('reassigns the task token only from the one it still has, whatever the status', async () => {
      await ledger.putApproval(approval);
      expect(await ledger.reassignApproval({ id: 'ap-1', from: 'token', to: 'token-2' })).toBe(true);
      // Another taking it from the same token comes too late.
      expect(await ledger.reassignApproval({ id: 'ap-1', from: 'token', to: 'token-3' })).toBe(false);
      expect(await ledger.getApproval('ap-1')).toMatchObject({ status: 'pending', taskToken: 'token-2' });
      await ledger.decideApproval({ id: 'ap-1', decision: 'approved', actor: 'slack:U1', at: later(60) });
      expect(await ledger.reassignApproval({ id: 'ap-1', from: 'token-2', to: 'token-4' })).toBe(true);
      expect(await ledger.getApproval('ap-1')).toMatchObject({ status: 'approved', decidedBy: 'slack:U1', taskToken: 'token-4' });
      expect(await ledger.reassignApproval({ id: 'nope', from: 'token', to: 'token-5' })).toBe(false);
    });
  });
}

export function describeAuditContract(open: OpenLedger): void {
  let ledger: Ledger;
  useFreshLedger(open, (opened) => (ledger = opened));

  describe('audit trail', () => {
    it('records skips, claims and transitions with their details, oldest first', async () => {
      await ledger.recordSkip(skipOf('fp', 'excluded', { actor: 'cli:a' }));
      await ledger.claim(claimOf('fp', { actor: 'workflow:x', at: later(1) }));
      await ledger.transition(move('fp', 'claimed', 'failed', { actor: 'workflow:x', at: later(2), reason: 'timeout' }));
      const trail = await ledger.auditTrail('fp');
      expect(trail.map(({ type, actor, at, fingerprint }) => ({ type, actor, at, fingerprint }))).toEqual([
        { type: 'skip', actor: 'cli:a', at: T0, fingerprint: 'fp' },
        { type: 'claimed', actor: 'workflow:x', at: later(1), fingerprint: 'fp' },
        { type: 'transition', actor: 'workflow:x', at: later(2), fingerprint: 'fp' },
      ]);
      expect(trail[0]?.data).toMatchObject({ reason: 'excluded' });
      expect(trail[1]?.data).toMatchObject({ attempts: 1 });
      expect(trail[2]?.data).toMatchObject({ from: 'claimed', to: 'failed', reason: 'timeout' });
    });

    it('keeps appended events per fingerprint with increasing seq', async () => {
      await ledger.claim(claimOf('fp'));
      const requested = { id: 'ap-1' };
      await ledger.appendAudit({ fingerprint: 'fp', type: 'approval.requested', actor: 'wf', at: later(1), data: requested });
      await ledger.appendAudit({ fingerprint: 'other', type: 'note', actor: 'a', at: later(2) });
      await ledger.appendAudit({ type: 'run.started', actor: 'cli:a', at: later(3) });
      await ledger.appendAudit({ fingerprint: 'fp', type: 'approval.decided', actor: 'slack:U1', at: later(4) });
      const trail = await ledger.auditTrail('fp');
      expect(trail.map((e) => e.type)).toEqual(['claimed', 'approval.requested', 'approval.decided']);
      expect(trail[1]).toMatchObject({ actor: 'wf', at: later(1), data: requested });
      expect(trail[2]?.data).toBeUndefined();
      const seqs = trail.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(3);
      expect(await ledger.auditTrail('nope')).toEqual([]);
    });

    it('logs nothing for refused writes', async () => {
      await driveTo(ledger, 'fp', 'located');
      await ledger.claim(claimOf('fp', { at: later(9) }));
      await ledger.recordSkip(skipOf('fp', 'x', { at: later(9) }));
      await catchError(ledger.transition(move('fp', 'claimed', 'located', { at: later(9) })));
      await catchError(ledger.transition(move('fp', 'located', 'pr_opened', { at: later(9) })));
      expect(await ledger.auditTrail('fp')).toHaveLength(2);
    });
  });
}
