/**
 * RequestApproval: runs behind `.waitForTaskToken`. Stores the approval (with the task token,
 * which never leaves the ledger) and asks the approvers; the execution waits until a decision
 * calls SendTaskSuccess / SendTaskFailure, or until the state's timeout expires it.
 */
import { randomBytes } from 'node:crypto';
import type { Task } from '../context.js';
import { PatchError } from '../errors.js';
import type { IterationState, Patch } from '../types.js';

export interface ApprovalTaskInput {
  readonly input: IterationState;
  readonly taskToken: string;
}

export const requestApproval: Task<ApprovalTaskInput, { readonly approvalId: string }> = async ({ input, taskToken }, ctx) => {
  const { finding, decision, settings } = input;
  const key = input.patch?.artifact;
  if (key === undefined || decision.code !== 'remediate') throw new PatchError('RequestApproval needs a patch and a remediation decision');
  const patch = await ctx.artifacts.get<Patch>(key);
  const approvalId = `apr_${randomBytes(8).toString('hex')}`;
  const requestedAt = ctx.now();
  const expiresAt = new Date(requestedAt.getTime() + settings.approvalTimeoutSeconds * 1000);
  await ctx.ledger.putApproval({ id: approvalId, fingerprint: finding.fingerprint, taskToken, requestedAt, expiresAt });
  await ctx.ledger.transition({ fingerprint: finding.fingerprint, from: 'patched', to: 'awaiting_approval', actor: ctx.actor, at: requestedAt, data: { approvalId, expiresAt: expiresAt.toISOString() } });
  const posted = await ctx.approvals.requestApproval({
    approvalId,
    fingerprint: finding.fingerprint,
    controlId: finding.controlId,
    title: finding.title,
    severity: finding.severity.label,
    resource: `${finding.resource.type} ${finding.resource.name ?? finding.resource.id}`,
    account: finding.account,
    region: finding.region,
    repository: decision.repository,
    skill: patch.skill,
    diff: patch.diff,
    validation: patch.validation.checks.map((c) => `${c.name}: ${c.status}`).join(', '),
    expiresAt,
    drift: patch.drift ? { differences: patch.drift.differences, weakens: patch.drift.weakens, ignoreDays: Math.max(1, Math.round(ctx.config.drift.ignoreFor / 86_400)) } : undefined,
  });
  // Where the request was posted: the expiry sweep updates that message when nobody decides.
  if (posted.channel !== undefined && posted.messageTs !== undefined) {
    await ctx.ledger.appendAudit({ fingerprint: finding.fingerprint, type: 'approval.posted', actor: ctx.actor, at: ctx.now(), data: { approvalId, channel: posted.channel, messageTs: posted.messageTs } });
  }
  return { approvalId };
};
