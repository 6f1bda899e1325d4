/**
 * RequestApproval: runs behind `.waitForTaskToken`. Stores the approval (with the task token,
 * which never leaves the ledger) and asks the approvers; the execution waits until a decision
 * calls SendTaskSuccess / SendTaskFailure, or until the state's timeout expires it.
 */
import { randomBytes } from 'node:crypto';
import type { Task } from '../context.js';
import { resourceOf } from '../summary.js';
import { PatchError } from '../errors.js';
import { activeFindings, transitionAll } from '../item.js';
import type { IterationState, Patch } from '../types.js';

export interface ApprovalTaskInput {
  readonly input: IterationState;
  readonly taskToken: string;
}

export const requestApproval: Task<ApprovalTaskInput, { readonly approvalId: string }> = async ({ input, taskToken }, ctx) => {
  const findings = await activeFindings(input, ctx.artifacts, 'RequestApproval');
  // The item asks once: the approval is its first finding's, every finding of it waits on it.
  const [{ finding, decision }] = findings as [(typeof findings)[number]];
  const waiting = findings.map((i) => i.finding.fingerprint);
  const primary = finding.fingerprint;
  const key = input.patch?.artifact;
  if (key === undefined || decision.code !== 'remediate') throw new PatchError('RequestApproval needs a patch and a remediation decision');
  const patch = await ctx.artifacts.get<Patch>(key);
  const approvalId = `apr_${randomBytes(8).toString('hex')}`;
  const requestedAt = ctx.now();
  const expiresAt = new Date(requestedAt.getTime() + input.settings.approvalTimeoutSeconds * 1000);
  await ctx.ledger.putApproval({ id: approvalId, fingerprint: primary, taskToken, requestedAt, expiresAt });
  await transitionAll(ctx, waiting, 'patched', 'awaiting_approval', { data: { approvalId, expiresAt: expiresAt.toISOString() } });
  const resources = [...new Set(findings.map((i) => i.finding.resource.name ?? i.finding.resource.id))];
  const controls = [...new Set(findings.map((i) => i.finding.controlId ?? i.finding.source))];
  let posted: Awaited<ReturnType<typeof ctx.approvals.requestApproval>>;
  try {
    posted = await ctx.approvals.requestApproval({
      approvalId,
      fingerprint: primary,
      controlId: finding.controlId,
      title:
        resources.length > 1
          ? `${finding.title} (${resources.length} resources, one pull request)`
          : controls.length > 1
            ? `${controls.join(' + ')} on one resource (one pull request)`
            : finding.title,
      severity: patch.drift?.severity?.label ?? finding.severity.label,
      resource:
        resources.length > 1
          ? `${resources.length} × ${finding.resource.type}: ${resources.slice(0, 20).join(', ')}${resources.length > 20 ? ', …' : ''}`
          : resourceOf(finding),
      account: finding.account,
      region: finding.region,
      repository: decision.repository,
      skill: patch.skill,
      diff: patch.diff,
      validation: patch.validation.checks.map((c) => `${c.name}: ${c.status}`).join(', '),
      expiresAt,
      drift: patch.drift
        ? {
            differences: patch.drift.differences,
            weakens: patch.drift.weakens,
            ...(patch.drift.codify === false ? { codify: false } : {}),
            ignoreDays: Math.max(1, Math.round(ctx.config.drift.ignoreFor / 86_400)),
          }
        : undefined,
    });
  } catch (error) {
    // Nobody was told: this approval can never be given. Retire it and put the findings back, so
    // a retry of the state (with a new task token) asks again from where it started.
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await ctx.ledger.decideApproval({ id: approvalId, decision: 'expired', actor: ctx.actor, at: ctx.now() });
    await transitionAll(ctx, waiting, 'awaiting_approval', 'patched', {
      reason: `the approval request could not be sent (${why.slice(0, 300)})`,
    });
    throw error;
  }
  // Where the request was posted: the expiry sweep updates that message when nobody decides.
  // Best effort: the request is out, and a failed note must not make the workflow ask again.
  if (posted.channel !== undefined && posted.messageTs !== undefined) {
    await ctx.ledger
      .appendAudit({
        fingerprint: primary,
        type: 'approval.posted',
        actor: ctx.actor,
        at: ctx.now(),
        data: { approvalId, channel: posted.channel, messageTs: posted.messageTs },
      })
      .catch(() => undefined);
  }
  return { approvalId };
};
