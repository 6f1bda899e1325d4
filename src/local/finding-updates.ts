/**
 * Locally nothing is written back to Security Hub: the ledger records the call cloudmend would
 * have made (BatchUpdateFindings: note and workflow; BatchUpdateFindingsV2: comment and status), so
 * `cloudmend show` tells what a deployed cloudmend does at this step.
 */
import { OCSF_STATUS_IN_PROGRESS, pullRequestNote, securityHubIdentifier, WRITE_BACK_AUTHOR } from '../findings/write-back.js';
import type { Ledger } from '../ledger/port.js';
import type { FindingUpdates } from '../findings/updates.js';

export function ledgerFindingUpdates(ledger: Ledger, actor: string, now: () => Date): FindingUpdates {
  return {
    async pullRequestOpened(finding, pullRequest) {
      const identifier = securityHubIdentifier(finding);
      if (!identifier) return;
      const note = pullRequestNote(pullRequest);
      const { api } = identifier;
      const update =
        api === 'BatchUpdateFindingsV2' ? { statusId: OCSF_STATUS_IN_PROGRESS } : { updatedBy: WRITE_BACK_AUTHOR, workflow: 'NOTIFIED' };
      await ledger.appendAudit({
        fingerprint: finding.fingerprint,
        type: 'write_back.skipped',
        actor,
        at: now(),
        data: { reason: 'local run: Security Hub is not called', api, note, ...update },
      });
    },
  };
}
