/**
 * RecordFailure: every Catch lands here. The finding moves to `failed` with the error, from
 * wherever it was, so that a later run can claim it again: nothing is lost, nothing stays stuck.
 */
import { TERMINAL_STATES } from '../../ledger/states.js';
import type { Task } from '../context.js';
import { summaryOf } from '../summary.js';
import type { FindingOutcome, IterationState } from '../types.js';
import { outcomeOf } from './record.js';

export const recordFailure: Task<IterationState, FindingOutcome> = async (state, ctx) => {
  const fp = state.finding.fingerprint;
  const reason = `${state.error?.Error ?? 'error'}: ${(state.error?.Cause ?? 'unknown cause').slice(0, 2000)}`;
  const current = await ctx.ledger.get(fp);
  const at = ctx.now();
  if (!current) {
    // The failure came before the claim: record the finding as failed so it is not lost.
    const claimed = await ctx.ledger.claim({ fingerprint: fp, summary: summaryOf(state.finding), actor: ctx.actor, at });
    if (claimed.claimed) await ctx.ledger.transition({ fingerprint: fp, from: 'claimed', to: 'failed', actor: ctx.actor, at, reason });
  } else if (state.claim?.status === 'claimed' && !(TERMINAL_STATES as readonly string[]).includes(current.state)) {
    // Only this iteration's own claim is failed: a finding another run holds is left to it.
    await ctx.ledger.transition({ fingerprint: fp, from: current.state, to: 'failed', actor: ctx.actor, at, reason });
  }
  await ctx.ledger.appendAudit({ fingerprint: fp, type: 'outcome', actor: ctx.actor, at, data: { status: 'failed', reason } });
  return outcomeOf(state, 'failed', reason);
};
