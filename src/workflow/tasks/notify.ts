/** Notify: tells the team what happened to a finding (Slack or SNS in AWS; the ledger's audit trail always). */
import type { Task } from '../context.js';
import type { FindingOutcome } from '../types.js';

export const notify: Task<FindingOutcome, FindingOutcome> = async (outcome, ctx) => {
  await ctx.ledger.appendAudit({
    fingerprint: outcome.fingerprint,
    type: 'notified',
    actor: ctx.actor,
    at: ctx.now(),
    data: { status: outcome.status },
  });
  return outcome;
};
