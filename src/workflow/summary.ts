import { hash } from 'node:crypto';
import type { Finding } from '../findings/finding.js';
import type { FindingSummary } from '../ledger/port.js';

/** What the ledger keeps about a finding: enough to list and explain it. */
/** `<type> <name or id>`: how a finding's resource is named to people. */
export function resourceOf(finding: Pick<Finding, 'resource'>): string {
  return `${finding.resource.type} ${finding.resource.name ?? finding.resource.id}`;
}

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

/** Hex characters of a fingerprint or batch id that a branch name keeps: 64 bits. */
const BRANCH_ID_HEX = 16;
const HEX_ID = /^[0-9a-f]{16,}$/;

/** The first 64 bits of `id` in hex: of the id itself when it is hex (fingerprints, batch ids), else of its SHA-256. */
function branchId(id: string): string {
  // A batch id arrives in an event: whatever it holds, the name keeps 64 bits that depend on all of it.
  return (HEX_ID.test(id) ? id : hash('sha256', id, 'hex')).slice(0, BRANCH_ID_HEX);
}

/**
 * `cloudmend/s3.8-1a2b3c4d5e6f7a8b` (a finding) or `cloudmend/s3.8-batch-0f1e2d3c4b5a6978` (a batch):
 * the branch a pull request uses, stable across runs. A valid git branch name whatever the control
 * id says. 64 bits make a chance collision negligible; a forged one is refused by the adapter,
 * which never moves a branch whose last commit names another owner (see src/scm/branch-owner.ts).
 */
export function branchName(finding: Pick<Finding, 'controlId' | 'fingerprint' | 'source'>, batchId?: string): string {
  // A valid git ref component whatever the control id says: no `..`, no leading dot or dash.
  const subject =
    (finding.controlId ?? finding.source)
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/^[.-]+|[.-]+$/g, '')
      .slice(0, 64) || 'finding';
  return `cloudmend/${subject}-${batchId === undefined ? branchId(finding.fingerprint) : `batch-${branchId(batchId)}`}`;
}
