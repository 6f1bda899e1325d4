/** Contract: changes (one pull request per resource) and the open change of each resource. */
import { describe, expect, it } from 'vitest';
import { LedgerConflictError } from '../../src/ledger/errors.js';
import type { ChangeInput, Ledger } from '../../src/ledger/port.js';
import { T0, later, useFreshLedger, type OpenLedger } from './ledger-helpers.js';

const BUCKET = 'arn:aws:s3:::acme-logs';
const GROUP = 'arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc';

const change: ChangeInput = {
  pullRequestId: 'local:infra:cloudmend/acme-logs-1a2b3c4d',
  repository: 'infra',
  branch: 'cloudmend/acme-logs-1a2b3c4d',
  owner: { kind: 'finding', id: 'fp-s3.8' },
  resources: [BUCKET],
  fingerprints: ['fp-s3.8'],
  at: T0,
};

export function describeChangeContract(open: OpenLedger): void {
  let ledger: Ledger;
  useFreshLedger(open, (opened) => (ledger = opened));

  describe('changes', () => {
    it('records a change and finds it open by its resource, in that repository only', async () => {
      const recorded = await ledger.recordChange(change);
      expect(recorded).toEqual({ ...change, at: undefined, state: 'open', createdAt: T0, updatedAt: T0 });
      expect(await ledger.openChangeFor('infra', BUCKET)).toEqual(recorded);
      expect(await ledger.openChangeFor('other', BUCKET)).toBeUndefined();
      expect(await ledger.openChangeFor('infra', GROUP)).toBeUndefined();
    });

    it('adds the resources and findings of a branch update, never drops one, keeps its creation time', async () => {
      await ledger.recordChange(change);
      await ledger.recordChange({ ...change, fingerprints: ['fp-s3.4', 'fp-s3.8'], findings: 'claim-check/findings/1.json', at: later(1) });
      const updated = await ledger.recordChange({ ...change, resources: [GROUP], fingerprints: ['fp-ec2.19'], at: later(2) });
      expect(updated).toMatchObject({ resources: [BUCKET, GROUP], fingerprints: ['fp-s3.8', 'fp-s3.4', 'fp-ec2.19'] });
      // The findings' key stays until a write names the new one.
      expect(updated.findings).toBe('claim-check/findings/1.json');
      expect(updated).toMatchObject({ createdAt: T0, updatedAt: later(2) });
      expect(await ledger.openChangeFor('infra', GROUP)).toEqual(updated);
      const renamed = await ledger.recordChange({ ...change, findings: 'claim-check/findings/2.json', at: later(3) });
      expect((await ledger.openChangeFor(change.repository, BUCKET))?.findings).toBe(renamed.findings);
      expect(renamed.findings).toBe('claim-check/findings/2.json');
    });

    it('refuses a second open change on a resource, and a change whose branch or owner differs from its open record', async () => {
      await ledger.recordChange(change);
      const other = { ...change, pullRequestId: 'local:infra:cloudmend/other', branch: 'cloudmend/other', resources: [GROUP, BUCKET] };
      await expect(ledger.recordChange(other)).rejects.toThrow(LedgerConflictError);
      await expect(ledger.recordChange(other)).rejects.toThrow(
        /arn:aws:s3:::acme-logs of repository "infra": local:infra:cloudmend\/acme-logs/,
      );
      // Nothing of the refused change was written.
      expect(await ledger.openChangeFor('infra', GROUP)).toBeUndefined();
      await expect(ledger.recordChange({ ...change, owner: { kind: 'batch', id: 'b1' } })).rejects.toThrow(LedgerConflictError);
      await expect(ledger.recordChange({ ...change, resources: [] })).rejects.toThrow(RangeError);
    });

    it('frees a merged or closed change’s resources for a new change; closing again or an unknown id changes nothing', async () => {
      await ledger.recordChange({ ...change, resources: [BUCKET, GROUP] });
      const merged = await ledger.closeChange({ pullRequestId: change.pullRequestId, state: 'merged', at: later(5) });
      expect(merged).toMatchObject({ state: 'merged', updatedAt: later(5), resources: [BUCKET, GROUP] });
      expect(await ledger.openChangeFor('infra', BUCKET)).toBeUndefined();
      expect(await ledger.closeChange({ pullRequestId: change.pullRequestId, state: 'closed', at: later(6) })).toEqual(merged);
      expect(await ledger.closeChange({ pullRequestId: 'github:acme/infra#404', state: 'closed', at: later(6) })).toBeUndefined();
      const next = {
        ...change,
        pullRequestId: 'github:acme/infra#7',
        branch: 'cloudmend/acme-logs-5e6f',
        owner: { kind: 'finding' as const, id: 'fp-s3.5' },
      };
      expect(await ledger.recordChange({ ...next, at: later(7) })).toMatchObject({ state: 'open', pullRequestId: 'github:acme/infra#7' });
      expect((await ledger.openChangeFor('infra', BUCKET))?.pullRequestId).toBe('github:acme/infra#7');
    });

    it('opens a closed change again with only what the new record holds', async () => {
      await ledger.recordChange({ ...change, fingerprints: ['fp-s3.8', 'fp-s3.4'] });
      await ledger.closeChange({ pullRequestId: change.pullRequestId, state: 'closed', at: later(1) });
      const reopened = await ledger.recordChange({ ...change, fingerprints: ['fp-s3.5'], at: later(2) });
      expect(reopened).toMatchObject({ state: 'open', fingerprints: ['fp-s3.5'], createdAt: later(2) });
      expect(await ledger.openChangeFor('infra', BUCKET)).toEqual(reopened);
    });
  });
}
