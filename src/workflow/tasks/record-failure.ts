/**
 * RecordFailure: every Catch lands here. The finding moves to `failed` with the error, from
 * wherever it was, so that a later run can claim it again: nothing is lost, nothing stays stuck.
 */
import { isTerminal } from '../../ledger/states.js';
import type { Task } from '../context.js';
import { itemFindings, settledOf } from '../item.js';
import { summaryOf } from '../summary.js';
import type { FindingOutcome, IterationState } from '../types.js';
import { itemOutcome, outcomeOf } from './record.js';

export const recordFailure: Task<IterationState, FindingOutcome> = async (state, ctx) => {
  const reason = `${state.error?.Error ?? 'error'}: ${(state.error?.Cause ?? 'unknown cause').slice(0, 2000)}`;
  // The item fails every finding it holds: none is left claimed with nobody working on it.
  const mine = new Set(state.claim?.claimed ?? []);
  const outcomes: FindingOutcome[] = [];
  const settled = new Map(settledOf(state).map((m) => [m.fingerprint, m]));
  for (const item of await itemFindings(state, ctx.artifacts)) {
    const fp = item.finding.fingerprint;
    const left = settled.get(fp);
    if (left) {
      // Left the item before the failure, with its own outcome.
      outcomes.push(outcomeOf(state, item.finding, left.status, left.reason));
      continue;
    }
    const current = await ctx.ledger.get(fp);
    const at = ctx.now();
    if (!current) {
      // The failure came before the claim: record the finding as failed so it is not lost.
      const claimed = await ctx.ledger.claim({ fingerprint: fp, summary: summaryOf(item.finding), actor: ctx.actor, at });
      if (claimed.claimed) await ctx.ledger.transition({ fingerprint: fp, from: 'claimed', to: 'failed', actor: ctx.actor, at, reason });
    } else if (mine.has(fp) && !isTerminal(current.state)) {
      // Only this iteration's own claims are failed: a finding another run holds is left to it.
      // An approval it was waiting on can no longer resume anything: it expires with it.
      const approvalId = current.state === 'awaiting_approval' ? current.data?.approvalId : undefined;
      if (typeof approvalId === 'string') await ctx.ledger.decideApproval({ id: approvalId, decision: 'expired', actor: ctx.actor, at });
      await ctx.ledger.transition({ fingerprint: fp, from: current.state, to: 'failed', actor: ctx.actor, at, reason });
    }
    await ctx.ledger.appendAudit({ fingerprint: fp, type: 'outcome', actor: ctx.actor, at, data: { status: 'failed', reason } });
    outcomes.push(outcomeOf(state, item.finding, 'failed', reason));
  }
  return itemOutcome(outcomes as [FindingOutcome, ...FindingOutcome[]]);
};
