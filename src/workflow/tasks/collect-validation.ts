/**
 * CollectValidation: the sandbox's validators' verdict on a skill's or a codify patch, recorded.
 * A patch the validators fail is a bug, never a pull request: the finding fails with the reason,
 * as a patch that does not verify in ApplySkill does. Otherwise the patch goes on to CheckPolicy
 * with the verdict among its checks.
 */
import type { ValidationOutput } from '../../sandbox/validation.js';
import type { Task } from '../context.js';
import { PatchError, SandboxFailedError } from '../errors.js';
import { activeFingerprints } from '../item.js';
import type { IterationState, Patch, PatchOutput } from '../types.js';
import { collectCdk } from '../cdk.js';
import { finishPatch, withCheck } from '../validation.js';

export const collectValidation: Task<IterationState, PatchOutput> = async (state, ctx) => {
  const pending = state.patch;
  const run = pending?.sandbox;
  if (pending && run?.mode === 'cdk') return collectCdk(ctx, state, pending);
  const artifact = pending?.artifact;
  if (!pending || run?.mode !== 'validate' || artifact === undefined) {
    throw new PatchError('CollectValidation needs a patch and its validation run');
  }
  const output = await ctx.artifacts.get<ValidationOutput>(run.output);
  if (output.status === 'failed') throw new SandboxFailedError(output.error);
  const patch = await ctx.artifacts.get<Patch>(artifact);
  const validation = withCheck(patch.validation.checks, output.check);
  if (!validation.passed) {
    const why = `${output.check.name}: ${output.check.detail}`;
    throw new PatchError(`the ${pending.skill ?? 'skill'} patch did not verify in the sandbox (${why})`, {
      fingerprint: pending.members?.[0] ?? activeFingerprints(state)[0],
      skillId: pending.skill,
    });
  }
  await ctx.artifacts.put(artifact, { ...patch, validation });
  return finishPatch(ctx, state, { ...patch, validation }, { ...pending, artifact });
};
