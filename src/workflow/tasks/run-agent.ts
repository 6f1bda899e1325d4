/** RunAgent: where no skill covers a control, a model writes the patch in the sandbox (a later milestone). */
import type { Task } from '../context.js';
import type { IterationState, PatchOutput } from '../types.js';

export const runAgent: Task<IterationState, PatchOutput> = async ({ finding, target }, ctx) => {
  const kind = target?.target?.kind ?? 'this IaC kind';
  const model = ctx.config.model.provider === 'none' ? 'no model is configured (model.provider: none)' : 'the model agent is not available in this version';
  const reason = `no skill covers ${finding.controlId ?? 'this finding'} in ${kind}, and ${model}`;
  await ctx.ledger.transition({ fingerprint: finding.fingerprint, from: 'located', to: 'needs_model', actor: ctx.actor, at: ctx.now(), reason });
  return { status: 'needs_model', reason };
};
