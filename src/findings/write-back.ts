import type { Finding } from './finding.js';

/**
 * The `Note.UpdatedBy` cloudmend writes when it records a pull request on a Security Hub finding
 * (with Workflow NOTIFIED). Security Hub re-emits the updated finding as an Imported event; that
 * echo must not start another remediation.
 */
export const WRITE_BACK_AUTHOR = 'cloudmend';

export function isOwnWriteBack(finding: Finding): boolean {
  return finding.states.noteUpdatedBy === WRITE_BACK_AUTHOR && finding.states.workflow === 'NOTIFIED';
}

/** Security Hub limits a note (v2: a comment) to 512 characters. */
export const NOTE_MAX_LENGTH = 512;

const NOTE_OPENING = 'cloudmend opened a pull request that fixes this finding in code: ';

/** The note cloudmend leaves on a finding whose pull request it opened. */
export function pullRequestNote(pullRequest: { readonly id: string; readonly branch: string; readonly url?: string | undefined }): string {
  const where = pullRequest.url ?? pullRequest.id;
  const text = `${NOTE_OPENING}${where} (branch ${pullRequest.branch}). The finding resolves when the change is deployed.`;
  return text.length <= NOTE_MAX_LENGTH ? text : `${text.slice(0, NOTE_MAX_LENGTH - 1)}…`;
}

/**
 * Who wrote a Security Hub v2 comment, as far as it tells: BatchUpdateFindingsV2 records no author
 * (there is no `UpdatedBy`), so cloudmend's own comment is known by how its note opens. Like
 * `UpdatedBy`, anyone may write it; the most it can do is make cloudmend skip a finding.
 */
export function commentAuthor(comment: string | undefined): string | undefined {
  return comment?.startsWith(NOTE_OPENING) ? WRITE_BACK_AUTHOR : undefined;
}

/** The OCSF status_id cloudmend writes back, Security Hub v2's counterpart of Workflow NOTIFIED. */
export const OCSF_STATUS_IN_PROGRESS = 2;

/**
 * How to name a Security Hub finding in a write-back: BatchUpdateFindings for ASFF findings,
 * BatchUpdateFindingsV2 for Security Hub v2 (OCSF) ones, each in its own identifier shape.
 */
export type SecurityHubIdentifier =
  | { readonly api: 'BatchUpdateFindings'; readonly id: { readonly Id: string; readonly ProductArn: string } }
  | {
      readonly api: 'BatchUpdateFindingsV2';
      readonly id: { readonly FindingInfoUid: string; readonly MetadataProductUid: string; readonly CloudAccountUid: string };
    };

/** The finding's identity for the write-back, when the finding came from Security Hub and names itself. */
export function securityHubIdentifier(finding: Finding): SecurityHubIdentifier | undefined {
  const { findingId, productArn, format } = finding.raw;
  if (finding.source !== 'securityhub' || !findingId || !productArn) return undefined;
  return format === 'ocsf'
    ? { api: 'BatchUpdateFindingsV2', id: { FindingInfoUid: findingId, MetadataProductUid: productArn, CloudAccountUid: finding.account } }
    : { api: 'BatchUpdateFindings', id: { Id: findingId, ProductArn: productArn } };
}
