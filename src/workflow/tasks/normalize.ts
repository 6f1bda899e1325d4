/** Normalize: one EventBridge event → the findings in it, each with the policy decision for it. */
import { explainEvent } from '../../policy/explain.js';
import { RejectedEventError } from '../errors.js';
import type { Task } from '../context.js';
import type { NormalizeOutput } from '../types.js';

export const normalize: Task<unknown, NormalizeOutput> = async (event, ctx) => {
  const explained = explainEvent(event, ctx.config);
  if (explained.error !== undefined) throw new RejectedEventError(explained.error);
  const envelope = event as { id: string; 'detail-type': string };
  if (explained.problems.length > 0) {
    await ctx.ledger.appendAudit({ type: 'event.problems', actor: ctx.actor, at: ctx.now(), data: { eventId: envelope.id, problems: explained.problems } });
  }
  const settings = { approvalTimeoutSeconds: ctx.config.approvals.timeout };
  return {
    eventId: envelope.id,
    detailType: envelope['detail-type'],
    findings: explained.findings.map(({ finding, decision }) => ({ eventId: envelope.id, finding, decision, settings })),
    problems: explained.problems,
  };
};
