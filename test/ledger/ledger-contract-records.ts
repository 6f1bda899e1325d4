/** Contract: listing approvals by status, and pull request records (upsert by id). */
import { describe, expect, it } from 'vitest';
import type { Ledger, NewPullRequest } from '../../src/ledger/port.js';
import { T0, later, useFreshLedger, type OpenLedger } from './ledger-helpers.js';

export function describeRecordsContract(open: OpenLedger): void {
  let ledger: Ledger;
  useFreshLedger(open, (opened) => (ledger = opened));

  describe('approvals by status', () => {
    it('lists pending approvals oldest first and leaves out decided ones', async () => {
      await ledger.putApproval({ id: 'b', fingerprint: 'fp2', taskToken: 't', requestedAt: later(2), expiresAt: later(100) });
      await ledger.putApproval({ id: 'a', fingerprint: 'fp1', taskToken: 't', requestedAt: later(1), expiresAt: later(100) });
      await ledger.putApproval({ id: 'c', fingerprint: 'fp3', taskToken: 't', requestedAt: later(3), expiresAt: later(100) });
      await ledger.decideApproval({ id: 'c', decision: 'rejected', actor: 'cli:x', at: later(4) });
      expect((await ledger.listApprovals({ status: 'pending' })).map((a) => a.id)).toEqual(['a', 'b']);
      expect((await ledger.listApprovals()).map((a) => [a.id, a.status])).toEqual([
        ['a', 'pending'],
        ['b', 'pending'],
        ['c', 'rejected'],
      ]);
    });
  });

  describe('pull requests', () => {
    const pr: NewPullRequest = {
      id: 'local:infra:cloudmend/s3.8-1a2b3c4d',
      fingerprint: 'fp',
      repository: 'infra',
      branch: 'cloudmend/s3.8-1a2b3c4d',
      base: 'main',
      title: 'S3.8: block public access on acme-logs',
      body: '## Finding\n…',
      commit: 'a'.repeat(40),
      at: T0,
    };

    it('records a pull request and finds it by id and by finding', async () => {
      const stored = await ledger.putPullRequest(pr);
      expect(stored).toEqual({ ...pr, at: undefined, url: undefined, createdAt: T0, updatedAt: T0 });
      expect(await ledger.getPullRequest(pr.id)).toEqual(stored);
      expect(await ledger.pullRequestsFor('fp')).toEqual([stored]);
      expect(await ledger.getPullRequest('nope')).toBeUndefined();
    });

    it('updates the same id instead of duplicating it, keeping its creation time', async () => {
      await ledger.putPullRequest(pr);
      const updated = await ledger.putPullRequest({
        ...pr,
        commit: 'b'.repeat(40),
        body: 'new body',
        url: 'https://example.com/pr/1',
        at: later(60),
      });
      expect(updated).toMatchObject({
        commit: 'b'.repeat(40),
        body: 'new body',
        url: 'https://example.com/pr/1',
        createdAt: T0,
        updatedAt: later(60),
      });
      expect(await ledger.pullRequestsFor('fp')).toHaveLength(1);
    });
  });
}
