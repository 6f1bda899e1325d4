/**
 * Security Hub write-back, by the API of the format the finding came in: ASFF findings get a note
 * by cloudmend and workflow NOTIFIED (BatchUpdateFindings); Security Hub v2 (OCSF) findings get the
 * same text as a comment and status In Progress (BatchUpdateFindingsV2). Security Hub re-emits the
 * finding as an Imported event; the deployed rules match NEW only and Normalize recognises
 * cloudmend's note, so it starts nothing.
 */
import { BatchUpdateFindingsCommand, BatchUpdateFindingsV2Command, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CloudmendError } from '../errors.js';
import { OCSF_STATUS_IN_PROGRESS, pullRequestNote, securityHubIdentifier, WRITE_BACK_AUTHOR } from '../findings/write-back.js';
import type { FindingUpdates } from '../findings/updates.js';
import { awsCall } from './errors.js';

interface Unprocessed {
  readonly ErrorCode?: string | undefined;
  readonly ErrorMessage?: string | undefined;
}

export function securityHubFindingUpdates(client: SecurityHubClient): FindingUpdates {
  return {
    async pullRequestOpened(finding, pullRequest) {
      const identifier = securityHubIdentifier(finding);
      if (!identifier) return;
      const note = pullRequestNote(pullRequest);
      const { api } = identifier;
      const result = await awsCall<{ readonly UnprocessedFindings?: readonly Unprocessed[] | undefined }>(`Security Hub ${api}`, () =>
        identifier.api === 'BatchUpdateFindingsV2'
          ? client.send(
              new BatchUpdateFindingsV2Command({ FindingIdentifiers: [identifier.id], Comment: note, StatusId: OCSF_STATUS_IN_PROGRESS }),
            )
          : client.send(
              new BatchUpdateFindingsCommand({
                FindingIdentifiers: [identifier.id],
                Note: { Text: note, UpdatedBy: WRITE_BACK_AUTHOR },
                Workflow: { Status: 'NOTIFIED' },
              }),
            ),
      );
      const failed = result.UnprocessedFindings?.[0];
      if (failed) {
        const id = finding.raw.findingId ?? finding.fingerprint;
        throw new CloudmendError(
          `Security Hub did not update finding ${id} (${api}): ${failed.ErrorCode ?? 'error'}: ${failed.ErrorMessage ?? 'no message'}`,
        );
      }
    },
  };
}
