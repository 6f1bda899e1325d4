/**
 * CollectAgent: what the sandbox returned, judged outside it. The sandbox's own validation is not
 * taken on trust: the patch is rebuilt from the task cloudmend wrote (its files) and the new text
 * of the editable files only, then reviewed again (parse, detection, guardrail, confinement to the
 * resource). The model's usage is recorded either way.
 */
import { reviewerFor } from '../../agent/review.js';
import type { AgentTask, SandboxOutput } from '../../agent/task.js';
import { Workspace } from '../../agent/workspace.js';
import { printable } from '../../printable.js';
import { skillOptionsOf } from '../../skills/options.js';
import { skillsFor, skillsOfKind } from '../../skills/registry.js';
import type { Task } from '../context.js';
import { PatchError } from '../errors.js';
import type { IterationState, Patch, PatchOutput } from '../types.js';

/**
 * The sandbox's failure, under a name the state machine does not retry: retrying CollectAgent
 * would only read the same failed output again. The finding fails, claimable again, and the next
 * run starts a new sandbox.
 */
function failure(error: { readonly name: string; readonly message: string }): Error {
  return Object.assign(new Error(`the sandbox failed (${error.name}): ${error.message}`), { name: 'cloudmend.SandboxFailed' });
}

export const collectAgent: Task<IterationState, PatchOutput> = async (state, ctx) => {
  const run = state.patch?.sandbox;
  const located = state.target?.target;
  if (!run || !located) throw new PatchError('CollectAgent needs the sandbox run and the located target');
  const fp = state.finding.fingerprint;
  const task = await ctx.artifacts.get<AgentTask>(run.input);
  const output = await ctx.artifacts.get<SandboxOutput>(run.output);
  if (output.status === 'failed') throw failure(output.error);
  const { usage } = output;
  const at = ctx.now();
  await ctx.ledger.appendAudit({ fingerprint: fp, type: 'model.usage', actor: ctx.actor, at, data: { ...usage } });

  const noFix = async (reason: string): Promise<PatchOutput> => {
    await ctx.ledger.transition({ fingerprint: fp, from: 'located', to: 'no_fix', actor: ctx.actor, at, reason, data: { model: usage.model, usage } });
    return { status: 'no_fix', model: usage.model, usage, reason };
  };
  if (output.status === 'no_fix') return noFix(printable(output.reason).slice(0, 2_000));

  const workspace = new Workspace(task.files, task.editable);
  const foreign = output.files.filter((f) => !task.editable.includes(f.path)).map((f) => printable(f.path).slice(0, 200));
  if (foreign.length > 0) return noFix(`the sandbox returned changes to files the remediation may not change: ${foreign.join(', ')}`);
  for (const file of output.files) workspace.replace(file.path, file.after);
  const skills = task.finding.controlId ? await skillsFor(task.finding.controlId, task.target.kind) : [];
  const reviewer = await reviewerFor(task, { skills, allSkills: await skillsOfKind(task.target.kind), options: skillOptionsOf(ctx.config), validator: ctx.validators[task.target.kind] });
  const verdict = reviewer ? await reviewer.review(workspace) : undefined;
  if (!verdict?.passed) {
    const failed = verdict?.checks.filter((c) => c.status === 'failed').map((c) => `${c.name}: ${c.detail}`) ?? [`${task.target.address} is not in ${task.target.file}`];
    return noFix(`the model's patch failed cloudmend's own review: ${failed.join('; ')}`);
  }
  // The sandbox ran the validators Lambda does not have (terraform validate, cfn-lint): keep their verdicts.
  const sandboxOnly = output.validation.checks.filter((c) => (c.name === 'terraform-validate' || c.name === 'cfn-lint') && c.status !== 'skipped');
  const checks = [...verdict.checks.filter((c) => !sandboxOnly.some((s) => s.name === c.name)), ...sandboxOnly];
  const changed = workspace.changed();
  const artifact = `${fp}/${(await ctx.ledger.get(fp))?.attempts ?? 1}/patch.json`;
  const patch: Patch = {
    fingerprint: fp,
    repository: located.repository,
    base: ctx.config.repositories.find((r) => r.name === located.repository)?.defaultBranch ?? 'main',
    commit: state.target?.commit ?? '',
    model: usage.model,
    summary: printable(output.summary).slice(0, 1_000),
    files: workspace.files().map((f) => ({ path: f.path, before: f.before, after: f.after })),
    diff: workspace.diff(),
    notes: [`Written by the model ${usage.model} in the sandbox (${usage.calls} calls, ${usage.inputTokens + usage.outputTokens} tokens), reviewed by cloudmend outside it.`],
    messages: [],
    validation: { passed: true, checks },
  };
  await ctx.artifacts.put(artifact, patch);
  await ctx.ledger.transition({ fingerprint: fp, from: 'located', to: 'patched', actor: ctx.actor, at, data: { model: usage.model, usage, artifact, files: changed } });
  return { status: 'patched', model: usage.model, usage, artifact, files: changed, validation: patch.validation };
};
