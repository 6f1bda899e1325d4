/**
 * Contract, property-based: random sequences of claims, skips and transitions (valid and invalid)
 * leave the adapter where a few-line model of the port's rules says they should.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Ledger } from '../../src/ledger/port.js';
import { FINDING_STATES, canTransition, isReclaimable, type FindingState } from '../../src/ledger/states.js';
import { claimOf, later, move, skipOf, useFreshLedger, type OpenLedger } from './ledger-helpers.js';

interface Model {
  readonly state: FindingState;
  readonly version: number;
  readonly attempts: number;
}

const VALID_MOVES = FINDING_STATES.flatMap((from) =>
  FINDING_STATES.filter((to) => canTransition(from, to)).map((to) => ({ from: [from], to })),
);

const operation = fc.oneof(
  fc.constant({ kind: 'claim' as const }),
  fc.constant({ kind: 'skip' as const }),
  // Valid moves often hit the current state; arbitrary ones exercise invalid and conflicting writes.
  fc.constantFrom(...VALID_MOVES).map((m) => ({ kind: 'transition' as const, ...m })),
  fc
    .record({ from: fc.subarray([...FINDING_STATES], { maxLength: 2 }), to: fc.constantFrom(...FINDING_STATES) })
    .map((m) => ({ kind: 'transition' as const, ...m })),
);

/** What the port promises for a transition, in the order the checks apply. */
function expectedTransition(model: Model | undefined, from: readonly FindingState[], to: FindingState): string {
  if (from.length === 0 || !from.every((state) => canTransition(state, to))) return 'InvalidTransitionError';
  if (model === undefined) return 'LedgerNotFoundError';
  return from.includes(model.state) ? 'ok' : 'LedgerConflictError';
}

export function describeModelContract(open: OpenLedger): void {
  let ledger: Ledger;
  useFreshLedger(open, (opened) => (ledger = opened));

  it('matches a model of the state machine for any sequence of operations', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 12 }), async (operations) => {
        const fingerprint = `model-${run++}`;
        let model: Model | undefined;
        for (const [i, op] of operations.entries()) {
          const at = later(i);
          if (op.kind === 'transition') {
            const expected = expectedTransition(model, op.from, op.to);
            const outcome = await ledger.transition(move(fingerprint, op.from, op.to, { at })).then(
              () => 'ok',
              (error: unknown) => (error instanceof Error ? error.name : String(error)),
            );
            expect(outcome).toBe(expected);
            if (model !== undefined && outcome === 'ok') model = { ...model, state: op.to, version: model.version + 1 };
            continue;
          }
          const accepted = model === undefined || isReclaimable(model.state);
          const written =
            op.kind === 'claim'
              ? (await ledger.claim(claimOf(fingerprint, { at }))).claimed
              : (await ledger.recordSkip(skipOf(fingerprint, 'r', { at }))).recorded;
          expect(written).toBe(accepted);
          if (accepted) {
            model = {
              state: op.kind === 'claim' ? 'claimed' : 'skipped',
              version: (model?.version ?? 0) + 1,
              attempts: (model?.attempts ?? 0) + (op.kind === 'claim' ? 1 : 0),
            };
          }
        }
        const stored = await ledger.get(fingerprint);
        const actual = stored && { state: stored.state, version: stored.version, attempts: stored.attempts };
        expect(actual).toEqual(model);
        // Every accepted write appends exactly one audit event.
        expect(await ledger.auditTrail(fingerprint)).toHaveLength(model?.version ?? 0);
      }),
      { numRuns: 60 },
    );
  });
}
