/**
 * CheckPolicy: the guardrail (`src/guardrails/index.ts` lists its rules) judges the patch whoever
 * wrote it, then the autonomy tier decides what happens next.
 */
import { checkPatch } from '../../guardrails/index.js';
import type { Task } from '../context.js';
import { PatchError } from '../errors.js';
import type { IterationState, Patch, PolicyOutput } from '../types.js';

export const checkPolicy: Task<IterationState, PolicyOutput> = async (state, ctx) => {
  const { finding, decision } = state;
  const key = state.patch?.artifact;
  const target = state.target?.target;
  if (key === undefined || !target || decision.code !== 'remediate') throw new PatchError('CheckPolicy needs a patch, its target and a remediation decision');
  const patch = await ctx.artifacts.get<Patch>(key);
  const violations = await checkPatch({ kind: target.kind, allowedFiles: target.files, files: patch.files });
  const fp = finding.fingerprint;
  if (violations.length > 0) {
    const reason = `the guardrail refused the patch: ${violations.map((v) => `${v.rule} (${v.message})`).join('; ')}`;
    await ctx.ledger.transition({ fingerprint: fp, from: 'patched', to: 'blocked', actor: ctx.actor, at: ctx.now(), reason, data: { violations } });
    return { allowed: false, tier: decision.tier, violations, reason };
  }
  if (decision.tier === 'recommend') {
    const reason = `tier recommend: the patch is kept as a recommendation, no branch is opened (${decision.reason})`;
    await ctx.ledger.transition({ fingerprint: fp, from: 'patched', to: 'recommended', actor: ctx.actor, at: ctx.now(), reason, data: { artifact: key } });
    return { allowed: true, tier: decision.tier, reason };
  }
  return { allowed: true, tier: decision.tier };
};
