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

/** Security Hub limits a note to 512 characters. */
export const NOTE_MAX_LENGTH = 512;

/** The note cloudmend leaves on a finding whose pull request it opened. */
export function pullRequestNote(pullRequest: { readonly id: string; readonly branch: string; readonly url?: string | undefined }): string {
  const where = pullRequest.url ?? pullRequest.id;
  const text = `cloudmend opened a pull request that fixes this finding in code: ${where} (branch ${pullRequest.branch}). The finding resolves when the change is deployed.`;
  return text.length <= NOTE_MAX_LENGTH ? text : `${text.slice(0, NOTE_MAX_LENGTH - 1)}…`;
}

/** The finding's identity for BatchUpdateFindings, when the finding came from Security Hub. */
export function securityHubIdentifier(finding: Finding): { readonly Id: string; readonly ProductArn: string } | undefined {
  const { findingId, productArn } = finding.raw;
  return finding.source === 'securityhub' && findingId && productArn ? { Id: findingId, ProductArn: productArn } : undefined;
}
