/** Normalize: one EventBridge event → the findings in it, each with the policy decision for it. */
import { explainEvent } from '../../policy/explain.js';
import { RejectedEventError } from '../errors.js';
import { BATCH_DETAIL_TYPE, type BatchDetail } from '../../triggers/batch-event.js';
import type { Task, TaskContext } from '../context.js';
import type { FindingItem, NormalizeOutput } from '../types.js';

type BatchEvent = { id: string; 'detail-type': string; detail: BatchDetail };

/**
 * A batch of events (see src/triggers/batching.ts): each is explained as if it came alone; the
 * findings that still belong to the batch's repository and control become one group, led by the
 * first, and everything else (a decision that changed since) runs on its own.
 */
async function normalizeBatch(event: BatchEvent, ctx: TaskContext): Promise<NormalizeOutput> {
  const { batchId, repository, controlId, events } = event.detail;
  if (!Array.isArray(events) || typeof batchId !== 'string') throw new RejectedEventError('a cloudmend Findings Batch needs detail.batchId and detail.events');
  const settings = { approvalTimeoutSeconds: ctx.config.approvals.timeout };
  const items: FindingItem[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const inner of events) {
    const explained = explainEvent(inner, ctx.config);
    const id = (inner as { id?: unknown }).id;
    if (explained.error !== undefined) problems.push(`event ${String(id)}: ${explained.error}`);
    problems.push(...explained.problems);
    for (const { finding, decision } of explained.findings) {
      if (seen.has(finding.fingerprint)) continue;
      seen.add(finding.fingerprint);
      items.push({ eventId: typeof id === 'string' ? id : event.id, finding, decision, settings });
    }
  }
  if (problems.length > 0) await ctx.ledger.appendAudit({ type: 'event.problems', actor: ctx.actor, at: ctx.now(), data: { eventId: event.id, problems } });
  const inGroup = (i: FindingItem): boolean => i.decision.code === 'remediate' && i.decision.repository === repository && i.finding.controlId === controlId;
  const [leader, ...members] = items.filter(inGroup);
  const findings = [...(leader ? [{ ...leader, group: { batchId, members } }] : []), ...items.filter((i) => !inGroup(i))];
  return { eventId: event.id, detailType: event['detail-type'], findings, problems };
}

export const normalize: Task<unknown, NormalizeOutput> = async (event, ctx) => {
  if ((event as { 'detail-type'?: unknown } | null)?.['detail-type'] === BATCH_DETAIL_TYPE) return normalizeBatch(event as BatchEvent, ctx);
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
