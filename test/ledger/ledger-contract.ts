/**
 * The behaviour every `Ledger` adapter must show, written once against the port. An adapter's test
 * file calls `describeLedgerContract` with a factory that opens a fresh, empty ledger per test.
 */
import { describe } from 'vitest';
import { describeApprovalContract, describeAuditContract } from './ledger-contract-approvals.js';
import { describeChangeContract } from './ledger-contract-changes.js';
import { describeChoiceContract } from './ledger-contract-choices.js';
import { describeFindingContract } from './ledger-contract-findings.js';
import { describeModelContract } from './ledger-contract-model.js';
import { describeRecordsContract } from './ledger-contract-records.js';
import { describeSmokeRunContract } from './ledger-contract-smoke-runs.js';
import { describeSuppressionContract } from './ledger-contract-suppressions.js';
import type { ContractOptions, OpenLedger } from './ledger-helpers.js';

export type { OpenLedger };

/** Register the whole contract suite for one adapter. */
export function describeLedgerContract(name: string, open: OpenLedger, options: ContractOptions = {}): void {
  describe(`${name} ledger contract`, () => {
    describeFindingContract(open, options);
    describeApprovalContract(open, options);
    describeAuditContract(open);
    describeModelContract(open);
    describeRecordsContract(open);
    describeChoiceContract(open, options);
    describeSuppressionContract(open, options);
    describeChangeContract(open);
    describeSmokeRunContract(open);
  });
}
