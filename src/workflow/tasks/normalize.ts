/** Normalize: one EventBridge event → the findings in it, each with the policy decision for it, as work items. */
import { explainEvent } from '../../policy/explain.js';
import { RejectedEventError } from '../errors.js';
import { BATCH_DETAIL_TYPE, type BatchDetail, type BatchReferenceDetail } from '../../triggers/batch-event.js';
import type { Task, TaskContext } from '../context.js';
import { resourceKeyOf } from '../../findings/resource-identity.js';
import { isDriftFinding } from '../drift.js';
import { repositoryNamed } from '../item.js';
import { withSmokeBase } from '../smoke-base.js';
import { carry, storedBatchEvents, withStoredEvidence } from '../stored.js';
import type { ItemFinding, NormalizeOutput, WorkItem } from '../types.js';

/**
 * The work item of `findings` (a batch's, or one finding alone), their large parts (a configuration
 * item) in the artifact store, and the list itself too once it is large: the Map's state stays small.
 */
async function workItem(findings: readonly ItemFinding[], ctx: TaskContext, batchId?: string): Promise<WorkItem> {
  const stored = await Promise.all(findings.map(async (i) => ({ ...i, finding: await withStoredEvidence(ctx.artifacts, i.finding) })));
  return {
    settings: { approvalTimeoutSeconds: ctx.config.approvals.timeout },
    kind: findings.length === 1 && isDriftFinding(findings[0]!.finding) ? 'drift' : 'fix',
    ...(batchId === undefined ? {} : { batchId }),
    size: findings.length,
    findings: await carry(ctx.artifacts, 'findings', stored),
  };
}

/**
 * A finding the fix path takes with others (drift is compared alone; a smoke test's finding, based on
 * its scratch branch, is alone; skips and observations are only recorded).
 */
const fixable = (i: ItemFinding): boolean => repositoryNamed(i) !== undefined && !isDriftFinding(i.finding) && i.base === undefined;

/**
 * One work item per resource: the fixable findings on one resource of one repository (S3.4, S3.5
 * and S3.8 on one bucket) become one patch and one pull request; every other finding is alone.
 */
async function workItems(findings: readonly ItemFinding[], ctx: TaskContext): Promise<WorkItem[]> {
  const groups = new Map<string, ItemFinding[]>();
  for (const i of findings) {
    const key = fixable(i) ? JSON.stringify([repositoryNamed(i), resourceKeyOf(i.finding)]) : `alone:${i.finding.fingerprint}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  return Promise.all([...groups.values()].map((group) => workItem(group, ctx)));
}

type BatchEvent = { id: string; 'detail-type': string; detail: Partial<BatchDetail & BatchReferenceDetail> };

/** The batch's events: inline, or read back by their key (the batching side's form); a key that fails is recorded in the ledger. */
async function batchEvents(event: BatchEvent, ctx: TaskContext): Promise<readonly unknown[]> {
  const { batchId, events, eventsKey } = event.detail ?? {};
  if (typeof batchId !== 'string' || (!Array.isArray(events) && eventsKey === undefined))
    throw new RejectedEventError('a cloudmend Findings Batch needs detail.batchId and detail.events or detail.eventsKey');
  if (Array.isArray(events)) return events as readonly unknown[];
  try {
    return await storedBatchEvents(ctx.artifacts, batchId, eventsKey);
  } catch (error) {
    if (error instanceof RejectedEventError)
      await ctx.ledger.appendAudit({
        type: 'event.problems',
        actor: ctx.actor,
        at: ctx.now(),
        data: { eventId: event.id, problems: [error.message] },
      });
    throw error;
  }
}

/**
 * A batch of events (see src/triggers/batching.ts): each is explained as if it came alone; the
 * findings that still belong to the batch's repository become one work item (any control: each
 * resource's findings are in one batch), and everything else (a decision that changed since) is
 * grouped as a plain event's findings are.
 */
async function normalizeBatch(event: BatchEvent, ctx: TaskContext): Promise<NormalizeOutput> {
  const events = await batchEvents(event, ctx);
  const { batchId, repository } = event.detail as BatchDetail;
  const items: ItemFinding[] = [];
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
      items.push(await withSmokeBase({ eventId: typeof id === 'string' ? id : event.id, finding, decision }, ctx, explained.kind));
    }
  }
  if (problems.length > 0)
    await ctx.ledger.appendAudit({ type: 'event.problems', actor: ctx.actor, at: ctx.now(), data: { eventId: event.id, problems } });
  const inBatch = (i: ItemFinding): boolean => fixable(i) && repositoryNamed(i) === repository;
  const batch = items.filter(inBatch);
  const work = [
    ...(batch.length > 0 ? [await workItem(batch, ctx, batchId)] : []),
    ...(await workItems(
      items.filter((i) => !inBatch(i)),
      ctx,
    )),
  ];
  return { eventId: event.id, detailType: event['detail-type'], items: work, problems };
}

export const normalize: Task<unknown, NormalizeOutput> = async (event, ctx) => {
  if ((event as { 'detail-type'?: unknown } | null)?.['detail-type'] === BATCH_DETAIL_TYPE) return normalizeBatch(event as BatchEvent, ctx);
  const explained = explainEvent(event, ctx.config);
  if (explained.error !== undefined) throw new RejectedEventError(explained.error);
  const envelope = event as { id: string; 'detail-type': string };
  if (explained.problems.length > 0) {
    await ctx.ledger.appendAudit({
      type: 'event.problems',
      actor: ctx.actor,
      at: ctx.now(),
      data: { eventId: envelope.id, problems: explained.problems },
    });
  }
  return {
    eventId: envelope.id,
    detailType: envelope['detail-type'],
    items: await workItems(
      await Promise.all(
        explained.findings.map(({ finding, decision }) => withSmokeBase({ eventId: envelope.id, finding, decision }, ctx, explained.kind)),
      ),
      ctx,
    ),
    problems: explained.problems,
  };
};
