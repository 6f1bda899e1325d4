/**
 * Claim: the idempotent gate. A finding is claimed once; redeliveries and re-imports stop here as
 * duplicates, and findings policy skips (or an approver's "Ignore" of drift) are recorded with their
 * reason, so nothing is silent.
 */
import type { FindingRecord, Suppression } from '../../ledger/port.js';
import { isReclaimable } from '../../ledger/states.js';
import type { Task, TaskContext } from '../context.js';
import { driftSuppressionKey, isDriftFinding } from '../drift.js';
import { joinChanges } from '../changes.js';
import { itemFindings } from '../item.js';
import { carry } from '../stored.js';
import { summaryOf } from '../summary.js';
import type { ClaimOutput, ItemFinding, Settled as Left, WorkItem } from '../types.js';

/** A finding that left at the claim, and the ledger state it is in. */
type Settled = Left & { readonly state?: string };

type OneClaim = Pick<ClaimOutput, 'status' | 'state' | 'reason'>;

/**
 * Each finding of the item claimed on its own; those not claimed leave the item with their outcome.
 * Then the open changes of its resources (src/workflow/changes.ts): their findings join the item,
 * and a finding whose pull request is open but must be written again (its base moved) works again.
 */
export const claim: Task<WorkItem, ClaimOutput> = async (item, ctx) => {
  const findings = await itemFindings(item, ctx.artifacts);
  const claimed: string[] = [];
  let settled: Settled[] = [];
  let only: OneClaim | undefined;
  for (const one of findings) {
    const out = (only = await claimOne(one, ctx));
    if (out.status === 'claimed') claimed.push(one.finding.fingerprint);
    else settled.push({ fingerprint: one.finding.fingerprint, status: out.status, reason: out.reason ?? out.state, state: out.state });
  }
  const opened = new Set(settled.filter((s) => s.state === 'pr_opened').map((s) => s.fingerprint));
  const joins =
    item.kind === 'fix'
      ? await joinChanges(
          ctx,
          findings.filter((i) => claimed.includes(i.finding.fingerprint)),
          findings.filter((i) => opened.has(i.finding.fingerprint)),
        )
      : undefined;
  for (const h of joins?.held ?? []) {
    await ctx.ledger.transition({
      fingerprint: h.fingerprint,
      from: 'claimed',
      to: 'skipped',
      actor: ctx.actor,
      at: ctx.now(),
      reason: h.reason,
    });
    claimed.splice(claimed.indexOf(h.fingerprint), 1);
    settled.push(h);
  }
  const reclaimed = new Set(joins?.reclaimed ?? []);
  settled = settled.filter((s) => !reclaimed.has(s.fingerprint)).map(({ state: _, ...s }) => s);
  claimed.push(...reclaimed);
  const changes = joins && {
    ...(joins.joined.length > 0 ? { joined: await carry(ctx.artifacts, 'findings', joins.joined) } : {}),
    ...(joins.change ? { change: joins.change } : {}),
    ...(joins.supersedes.length > 0 ? { supersedes: joins.supersedes } : {}),
  };
  const total = findings.length + (joins?.joined.length ?? 0);
  if (total === 1 && only && reclaimed.size === 0 && !joins?.held.length) return { ...only, claimed, settled, ...changes };
  const status = claimed.length > 0 ? 'claimed' : settled.every((s) => s.status === 'skipped') ? 'skipped' : 'duplicate';
  const batch = item.batchId === undefined ? '' : ` of batch ${item.batchId}`;
  const joinedNote = joins?.joined.length ? `, ${joins.joined.length} joined from the open pull request of their resource` : '';
  return {
    status,
    state: status,
    reason: `${claimed.length} of ${total} findings${batch} claimed${joinedNote}`,
    claimed,
    settled,
    ...changes,
  };
};

/**
 * Why Claim stops a finding the ledger already holds past reclaiming (in flight or finished): it is
 * a `duplicate`. Undefined when the finding is new or may be claimed again. `explain` asks the same.
 */
export function duplicateReason(record: FindingRecord | undefined): string | undefined {
  if (record === undefined || isReclaimable(record.state)) return undefined;
  return `already ${record.state}${record.reason ? ` (${record.reason})` : ''}`;
}

/** Why Claim skips drift an approver chose to ignore. */
export function suppressedReason(suppression: Suppression): string {
  return `ignored: drift on this resource is ignored until ${suppression.until.toISOString()} (${suppression.actor}: ${suppression.reason})`;
}

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
  const reason = skipReason ?? (suppressed ? suppressedReason(suppressed) : undefined);
  if (reason !== undefined) {
    const skipped = await ctx.ledger.recordSkip({ ...base, reason });
    return skipped.recorded
      ? { status: 'skipped', state: 'skipped', reason }
      : { status: 'duplicate', state: skipped.record.state, reason: duplicateReason(skipped.record) };
  }
  const claimed = await ctx.ledger.claim(base);
  if (!claimed.claimed) return { status: 'duplicate', state: claimed.record.state, reason: duplicateReason(claimed.record) };
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
