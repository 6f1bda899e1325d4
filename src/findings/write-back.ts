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
