/**
 * Security Hub write-back: a note with the pull request and workflow NOTIFIED, by
 * BatchUpdateFindings. Security Hub re-emits the finding as an Imported event; the deployed rule
 * matches workflow NEW only and Normalize recognises the note's author, so it starts nothing.
 */
import { BatchUpdateFindingsCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CloudmendError } from '../errors.js';
import { pullRequestNote, securityHubIdentifier, WRITE_BACK_AUTHOR } from '../findings/write-back.js';
import type { FindingUpdates } from '../workflow/context.js';
import { awsCall } from './errors.js';

export function securityHubFindingUpdates(client: SecurityHubClient): FindingUpdates {
  return {
    async pullRequestOpened(finding, pullRequest) {
      const identifier = securityHubIdentifier(finding);
      if (!identifier) return;
      const result = await awsCall('Security Hub BatchUpdateFindings', () =>
        client.send(
          new BatchUpdateFindingsCommand({
            FindingIdentifiers: [identifier],
            Note: { Text: pullRequestNote(pullRequest), UpdatedBy: WRITE_BACK_AUTHOR },
            Workflow: { Status: 'NOTIFIED' },
          }),
        ),
      );
      const failed = result.UnprocessedFindings?.[0];
      if (failed) throw new CloudmendError(`Security Hub did not update finding ${identifier.Id}: ${failed.ErrorCode ?? 'error'}: ${failed.ErrorMessage ?? 'no message'}`);
    },
  };
}
