import type { Finding } from '../findings/finding.js';
import type { FindingSummary } from '../ledger/port.js';

/** What the ledger keeps about a finding: enough to list and explain it. */
export function summaryOf(finding: Finding): FindingSummary {
  return {
    source: finding.source,
    controlId: finding.controlId,
    title: finding.title,
    severity: finding.severity.label,
    account: finding.account,
    region: finding.region,
    resourceType: finding.resource.type,
    resourceId: finding.resource.arn ?? finding.resource.id,
  };
}

/** `cloudmend/s3.8-1a2b3c4d`: the branch a finding's pull request uses, stable across runs. */
export function branchName(finding: Pick<Finding, 'controlId' | 'fingerprint' | 'source'>, batchId?: string): string {
  // A valid git ref component whatever the control id says: no `..`, no leading dot or dash.
  const subject = (finding.controlId ?? finding.source).toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/\.{2,}/g, '.').replace(/^[.-]+|[.-]+$/g, '').slice(0, 64) || 'finding';
  return `cloudmend/${subject}-${batchId === undefined ? finding.fingerprint.slice(0, 8) : `batch-${batchId.replace(/[^a-f0-9]/g, '').slice(0, 8)}`}`;
}
