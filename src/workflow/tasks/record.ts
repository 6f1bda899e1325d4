/**
 * Record: the one place that turns an iteration's state into its outcome, and closes what the
 * approval wait left open (an expiry, a rejection). Every finding leaves the workflow through
 * here or RecordFailure: nothing ends unrecorded.
 */
import type { Finding } from '../../findings/finding.js';
import { decideApproval } from '../approvals.js';
import type { Task, TaskContext } from '../context.js';
import { resourceOf } from '../summary.js';
import { driftSuppressionKey } from '../drift.js';
import { DECLINED } from '../errors.js';
import { activeFingerprints, itemFindings, settledOf } from '../item.js';
import type { FindingOutcome, IterationState, OutcomeStatus, PullRequestOutput } from '../types.js';

/** The outcome of the findings still in the item (those that left it carry their own, `Settled`). */
function statusOf(s: IterationState): { status: OutcomeStatus; reason: string } {
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
  if (s.pullRequest) return { status: 'pr_opened', reason: `${pullRequestVerb(s.pullRequest)}: ${s.pullRequest.id}` };
  if (s.policy?.tier === 'recommend') return { status: 'recommended', reason: s.policy.reason ?? 'tier recommend' };
  return { status: 'failed', reason: 'the workflow ended without an outcome' };
}

/** `finding`'s outcome in the item's state `s`. */
export function outcomeOf(s: IterationState, finding: Finding, status: OutcomeStatus, reason: string): FindingOutcome {
  return {
    fingerprint: finding.fingerprint,
    controlId: finding.controlId ?? null,
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

/** An item's outcome: the first finding's, carrying each other's as what differs from it (see `FindingOutcome.members`). */
export function itemOutcome([first, ...others]: readonly [FindingOutcome, ...FindingOutcome[]]): FindingOutcome {
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
async function tellSource(finding: Finding, pullRequest: NonNullable<IterationState['pullRequest']>, ctx: TaskContext): Promise<void> {
  try {
    await ctx.findingUpdates.pullRequestOpened(finding, pullRequest);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await ctx.ledger.appendAudit({
      fingerprint: finding.fingerprint,
      type: 'write_back.failed',
      actor: ctx.actor,
      at: ctx.now(),
      data: { message },
    });
  }
}

/** What the run did to the pull request. */
function pullRequestVerb(pr: PullRequestOutput): string {
  const verb = pr.created ? 'opened' : pr.updated ? 'updated (its branch now holds every fix of its findings)' : 'already open, unchanged';
  return `${verb}${pr.origin === undefined || pr.origin === 'pushed' ? '' : ORIGIN_NOTES[pr.origin]}`;
}

const ORIGIN_NOTES = {
  identical: '; origin already held this change on its branch (pushed from another ledger), left as it was',
  updated: "; origin's branch, written by cloudmend alone, held another change and now holds this one",
} as const;

/**
 * The item's outcomes: every finding still in it shares the item's outcome (the others of a declined
 * or expired approval follow the first, which held it), and the findings that left early keep
 * theirs. The first finding's outcome carries the others as `members`.
 */
export const record: Task<IterationState, FindingOutcome> = async (state, ctx) => {
  const { status, reason } = statusOf(state);
  const findings = await itemFindings(state, ctx.artifacts);
  const acting = new Set(activeFingerprints(state));
  const [primary] = acting;
  const current = primary !== undefined && (status === 'expired' || status === 'ignored') ? await ctx.ledger.get(primary) : undefined;
  const approvalId = typeof current?.data?.approvalId === 'string' ? current.data.approvalId : undefined;
  // decideApproval moves the approval's own finding; the others follow it below.
  if (status === 'expired' && approvalId)
    await decideApproval(ctx.ledger, { id: approvalId, decision: 'expired', actor: ctx.actor, at: ctx.now() });
  if (status === 'rejected' || status === 'expired') {
    for (const fingerprint of acting) {
      if ((await ctx.ledger.get(fingerprint))?.state === 'awaiting_approval')
        await ctx.ledger.transition({ fingerprint, from: 'awaiting_approval', to: status, actor: ctx.actor, at: ctx.now(), reason });
    }
  }
  let told = reason;
  if (status === 'ignored') {
    const until = new Date(ctx.now().getTime() + ctx.config.drift.ignoreFor * 1000);
    const by = (approvalId && (await ctx.ledger.getApproval(approvalId))?.decidedBy) || ctx.actor;
    for (const { finding } of findings.filter((i) => acting.has(i.finding.fingerprint)))
      await ctx.ledger.suppress({
        key: driftSuppressionKey(finding),
        until,
        actor: by,
        at: ctx.now(),
        reason: `drift on ${resourceOf(finding)} ignored`,
        fingerprint: finding.fingerprint,
      });
    told = `${reason}; drift on this resource is not raised again before ${until.toISOString()}`;
  }
  const settled = new Map(settledOf(state).map((m) => [m.fingerprint, m]));
  const outcomes = findings.map(({ finding }): FindingOutcome => {
    const left = settled.get(finding.fingerprint);
    return left
      ? { ...outcomeOf(state, finding, left.status, left.reason), branch: null, files: [], validation: null, approval: null }
      : outcomeOf(state, finding, status, told);
  });
  for (const o of outcomes)
    await ctx.ledger.appendAudit({
      fingerprint: o.fingerprint,
      type: 'outcome',
      actor: ctx.actor,
      at: ctx.now(),
      data: { status: o.status, reason: o.reason, branch: o.branch },
    });
  const { pullRequest } = state;
  // A smoke test's finding (based on its scratch branch) was never imported into the source: nothing to tell.
  if (status === 'pr_opened' && pullRequest)
    for (const { finding } of findings.filter((i) => acting.has(i.finding.fingerprint) && i.base === undefined))
      await tellSource(finding, pullRequest, ctx);
  return itemOutcome(outcomes as [FindingOutcome, ...FindingOutcome[]]);
};
