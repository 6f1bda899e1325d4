/**
 * Claim: the idempotent gate. A finding is claimed once; redeliveries and re-imports stop here as
 * duplicates, and findings policy skips (or an approver's "Ignore" of drift) are recorded with their
 * reason, so nothing is silent.
 */
import type { Task, TaskContext } from '../context.js';
import { driftSuppressionKey, isDriftFinding } from '../drift.js';
import { itemFindings } from '../item.js';
import { summaryOf } from '../summary.js';
import type { ClaimOutput, ItemFinding, WorkItem } from '../types.js';

type OneClaim = Pick<ClaimOutput, 'status' | 'state' | 'reason'>;

/** Each finding of the item claimed on its own; those not claimed leave the item with their outcome. */
export const claim: Task<WorkItem, ClaimOutput> = async (item, ctx) => {
  const findings = await itemFindings(item, ctx.artifacts);
  const claimed: string[] = [];
  const settled: ClaimOutput['settled'][number][] = [];
  let only: OneClaim | undefined;
  for (const one of findings) {
    const out = (only = await claimOne(one, ctx));
    if (out.status === 'claimed') claimed.push(one.finding.fingerprint);
    else settled.push({ fingerprint: one.finding.fingerprint, status: out.status, reason: out.reason ?? out.state });
  }
  if (findings.length === 1 && only) return { ...only, claimed, settled };
  const status = claimed.length > 0 ? 'claimed' : settled.every((s) => s.status === 'skipped') ? 'skipped' : 'duplicate';
  const batch = item.batchId === undefined ? '' : ` of batch ${item.batchId}`;
  return { status, state: status, reason: `${claimed.length} of ${findings.length} findings${batch} claimed`, claimed, settled };
};

/** Claims one finding, or records why it is skipped. */
async function claimOne({ finding, decision }: ItemFinding, ctx: TaskContext): Promise<OneClaim> {
  const base = { fingerprint: finding.fingerprint, summary: summaryOf(finding), actor: ctx.actor, at: ctx.now() };
  // Scheduled tasks run in their own workflow; in remediate they are recorded, not acted on.
  const skipReason =
    decision.decision === 'skip' && decision.code !== 'observe_only'
      ? `${decision.code}: ${decision.reason}`
      : decision.code === 'scheduled_task'
        ? `scheduled_task: ${decision.reason}; scheduled tasks run in their own workflow`
        : undefined;
  const suppressed =
    skipReason === undefined && isDriftFinding(finding)
      ? await ctx.ledger.activeSuppression(driftSuppressionKey(finding), ctx.now())
      : undefined;
  const reason =
    skipReason ??
    (suppressed
      ? `ignored: drift on this resource is ignored until ${suppressed.until.toISOString()} (${suppressed.actor}: ${suppressed.reason})`
      : undefined);
  if (reason !== undefined) {
    const skipped = await ctx.ledger.recordSkip({ ...base, reason });
    return skipped.recorded
      ? { status: 'skipped', state: 'skipped', reason }
      : {
          status: 'duplicate',
          state: skipped.record.state,
          reason: `already ${skipped.record.state}${skipped.record.reason ? ` (${skipped.record.reason})` : ''}`,
        };
  }
  const claimed = await ctx.ledger.claim(base);
  if (!claimed.claimed) {
    const { state, reason } = claimed.record;
    return { status: 'duplicate', state, reason: `already ${state}${reason ? ` (${reason})` : ''}` };
  }
  if (decision.code === 'observe_only') {
    await ctx.ledger.transition({
      fingerprint: finding.fingerprint,
      from: 'claimed',
      to: 'observed',
      actor: ctx.actor,
      at: ctx.now(),
      reason: decision.reason,
    });
    return { status: 'skipped', state: 'observed', reason: `observe_only: ${decision.reason}` };
  }
  return { status: 'claimed', state: 'claimed' };
}
