/**
 * Record: the one place that turns an iteration's state into its outcome, and closes what the
 * approval wait left open (an expiry, a rejection). Every finding leaves the workflow through
 * here or RecordFailure: nothing ends unrecorded.
 */
import { decideApproval } from '../approvals.js';
import type { Task, TaskContext } from '../context.js';
import { driftSuppressionKey } from '../drift.js';
import { actingOn, settledMembers } from '../groups.js';
import { groupItems } from '../stored.js';
import { DECLINED } from '../errors.js';
import type { FindingOutcome, IterationState, OutcomeStatus } from '../types.js';

function statusOf(s: IterationState): { status: OutcomeStatus; reason: string } {
  if (s.claim && s.claim.status !== 'claimed') return { status: s.claim.status, reason: s.claim.reason ?? s.claim.state };
  if (s.target && !s.target.found) return { status: 'no_target', reason: s.target.reason ?? 'no code declares the resource' };
  if (s.patch && s.patch.status !== 'patched') {
    const status =
      s.patch.status === 'needs_model' || s.patch.status === 'no_fix' || s.patch.status === 'in_sync' ? s.patch.status : 'recommended';
    return { status, reason: s.patch.reason ?? s.patch.status };
  }
  if (s.policy && !s.policy.allowed) return { status: 'denied_by_policy', reason: s.policy.reason ?? 'the guardrail refused the patch' };
  if (s.approvalError) {
    const { Error: error, Cause: cause } = s.approvalError;
    if (error === 'States.Timeout' || error === 'cloudmend.Expired')
      return { status: 'expired', reason: 'nobody approved before the approval timeout' };
    if (error === DECLINED.revert)
      return {
        status: 'revert_requested',
        reason: `${cause ?? 'revert chosen'}: ${s.patch?.revert ?? 're-deploy the resource from its code'}`,
      };
    if (error === DECLINED.ignore) return { status: 'ignored', reason: cause ?? 'ignored by an approver' };
    return { status: 'rejected', reason: cause ?? 'rejected by an approver' };
  }
  if (s.pullRequest)
    return { status: 'pr_opened', reason: `${s.pullRequest.created ? 'opened' : 'already open, unchanged'}: ${s.pullRequest.id}` };
  if (s.policy?.tier === 'recommend') return { status: 'recommended', reason: s.policy.reason ?? 'tier recommend' };
  return { status: 'failed', reason: 'the workflow ended without an outcome' };
}

export function outcomeOf(s: IterationState, status: OutcomeStatus, reason: string): FindingOutcome {
  return {
    fingerprint: s.finding.fingerprint,
    controlId: s.finding.controlId ?? null,
    status,
    skill: s.patch?.skill ?? null,
    branch: s.pullRequest?.branch ?? null,
    files: s.patch?.files ?? [],
    validation: s.patch?.validation ?? null,
    approval: s.approval
      ? {
          id: s.approval.approvalId,
          decision: s.approval.choice ?? (s.approval.approved ? 'approved' : 'rejected'),
          by: s.approval.by ?? null,
        }
      : s.approvalError
        ? {
            id: '',
            decision:
              status === 'expired' ? 'expired' : status === 'revert_requested' ? 'revert' : status === 'ignored' ? 'ignore' : 'rejected',
            by: null,
          }
        : null,
    reason,
  };
}

/** A group's outcome: the first finding's, carrying each other's as what differs from it (see `FindingOutcome.members`). */
export function groupOutcome([first, ...others]: readonly [FindingOutcome, ...FindingOutcome[]]): FindingOutcome {
  const same = (key: string, value: unknown): boolean =>
    JSON.stringify(value) === JSON.stringify((first as unknown as Record<string, unknown>)[key]);
  const members = others.map(
    (o) =>
      Object.fromEntries(Object.entries(o).filter(([key, value]) => key === 'fingerprint' || !same(key, value))) as NonNullable<
        FindingOutcome['members']
      >[number],
  );
  return members.length > 0 ? { ...first, members } : first;
}

/**
 * The pull request is open whatever the source says back: a failed write-back is recorded and the
 * outcome stands, rather than failing a finding whose fix exists.
 */
async function tellSource(state: IterationState, pullRequest: NonNullable<IterationState['pullRequest']>, ctx: TaskContext): Promise<void> {
  try {
    await ctx.findingUpdates.pullRequestOpened(state.finding, pullRequest);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await ctx.ledger.appendAudit({
      fingerprint: state.finding.fingerprint,
      type: 'write_back.failed',
      actor: ctx.actor,
      at: ctx.now(),
      data: { message },
    });
  }
}

export const record: Task<IterationState, FindingOutcome> = async (state, ctx) => {
  if (state.group) return recordGroup(state, ctx);
  const { status, reason } = statusOf(state);
  const fp = state.finding.fingerprint;
  const current = status === 'expired' || status === 'ignored' ? await ctx.ledger.get(fp) : undefined;
  const approvalId = typeof current?.data?.approvalId === 'string' ? current.data.approvalId : undefined;
  if (status === 'expired' && approvalId)
    await decideApproval(ctx.ledger, { id: approvalId, decision: 'expired', actor: ctx.actor, at: ctx.now() });
  let told = reason;
  if (status === 'ignored') {
    const until = new Date(ctx.now().getTime() + ctx.config.drift.ignoreFor * 1000);
    const by = (approvalId && (await ctx.ledger.getApproval(approvalId))?.decidedBy) || ctx.actor;
    await ctx.ledger.suppress({
      key: driftSuppressionKey(state.finding),
      until,
      actor: by,
      at: ctx.now(),
      reason: `drift on ${state.finding.resource.type} ${state.finding.resource.name ?? state.finding.resource.id} ignored`,
      fingerprint: fp,
    });
    told = `${reason}; drift on this resource is not raised again before ${until.toISOString()}`;
  }
  const outcome = outcomeOf(state, status, told);
  if (status === 'pr_opened' && state.pullRequest) await tellSource(state, state.pullRequest, ctx);
  await ctx.ledger.appendAudit({
    fingerprint: fp,
    type: 'outcome',
    actor: ctx.actor,
    at: ctx.now(),
    data: { status, reason: told, branch: outcome.branch },
  });
  return outcome;
};

/**
 * A group's outcomes: every finding it worked on shares the group's outcome (the others of a
 * declined or expired approval follow the first, which held it), and the findings that left early
 * keep theirs. The representative's outcome carries the others as `members`.
 */
async function recordGroup(state: IterationState, ctx: TaskContext): Promise<FindingOutcome> {
  const { status, reason } = statusOf(state);
  const acting = state.claim?.status === 'claimed' ? actingOn(state) : [];
  const [primary] = acting;
  // decideApproval moves the approval's own finding; the others follow it below.
  let decided: string | undefined;
  if (primary && status === 'expired') {
    const approvalId = (await ctx.ledger.get(primary))?.data?.approvalId;
    if (typeof approvalId === 'string') {
      await decideApproval(ctx.ledger, { id: approvalId, decision: 'expired', actor: ctx.actor, at: ctx.now() });
      decided = primary;
    }
  }
  if (status === 'rejected' || status === 'expired') {
    for (const fingerprint of acting.filter((f) => f !== decided)) {
      if ((await ctx.ledger.get(fingerprint))?.state === 'awaiting_approval')
        await ctx.ledger.transition({ fingerprint, from: 'awaiting_approval', to: status, actor: ctx.actor, at: ctx.now(), reason });
    }
  }
  const base = outcomeOf(state, status, reason);
  const settled = new Map(settledMembers(state).map((m) => [m.fingerprint, m]));
  const items = await groupItems(state, ctx.artifacts);
  const outcomes = items.map((item): FindingOutcome => {
    const fingerprint = item.finding.fingerprint;
    const left = settled.get(fingerprint);
    if (left)
      return { ...base, fingerprint, status: left.status, reason: left.reason, branch: null, files: [], validation: null, approval: null };
    return acting.includes(fingerprint)
      ? { ...base, fingerprint }
      : { ...base, fingerprint, status: 'failed', reason: 'the group ended before this finding was worked on' };
  });
  for (const o of outcomes)
    await ctx.ledger.appendAudit({
      fingerprint: o.fingerprint,
      type: 'outcome',
      actor: ctx.actor,
      at: ctx.now(),
      data: { status: o.status, reason: o.reason, branch: o.branch },
    });
  if (status === 'pr_opened' && state.pullRequest)
    for (const item of items.filter((i) => acting.includes(i.finding.fingerprint)))
      await tellSource({ ...state, ...item }, state.pullRequest, ctx);
  return groupOutcome(outcomes as [FindingOutcome, ...FindingOutcome[]]);
}
