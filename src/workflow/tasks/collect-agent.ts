/**
 * CollectAgent: what the sandbox returned, judged outside it. The sandbox's own validation is not
 * taken on trust: the patch is rebuilt from the task cloudmend wrote (its files) and the new text
 * of the editable files only, then reviewed again (parse, detection, guardrail, confinement to the
 * resource). No external tool runs here on the model's text: the validators' verdict (terraform
 * validate, cfn-lint) is the sandbox's, kept as such. The model's usage is recorded either way.
 */
import { reviewerFor } from '../../agent/review.js';
import type { AgentTask, SandboxOutput } from '../../agent/task.js';
import { Workspace } from '../../agent/workspace.js';
import type { IacKind } from '../../iac/source.js';
import { printable } from '../../printable.js';
import { skillOptionsOf } from '../../skills/options.js';
import { skillsFor, skillsOfKind } from '../../skills/registry.js';
import type { Check } from '../../skills/verify.js';
import type { Task } from '../context.js';
import { PatchError, SandboxFailedError } from '../errors.js';
import { activeTargets, settle } from '../item.js';
import { risksOf } from '../patch-files.js';
import { repositoryOf } from '../repository.js';
import type { IterationState, Patch, PatchOutput } from '../types.js';
import { withCheck } from '../validation.js';

/** The sandbox's validator verdict on the patch (it ran them; nothing outside it does), said as the sandbox's. */
function sandboxValidatorCheck(kind: IacKind, checks: readonly Check[]): Check {
  const name = kind === 'terraform' ? 'terraform-validate' : 'cfn-lint';
  const theirs = checks.find((c) => c.name === name);
  if (!theirs) return { name, status: 'skipped', detail: 'the sandbox reported no verdict' };
  return { name, status: theirs.status, detail: `in the sandbox: ${printable(theirs.detail).slice(0, 2_000)}` };
}

export const collectAgent: Task<IterationState, PatchOutput> = async (state, ctx) => {
  const run = state.patch?.sandbox;
  const located = state.target?.target;
  if (!run || !located) throw new PatchError('CollectAgent needs the sandbox run and the located target');
  const task = await ctx.artifacts.get<AgentTask>(run.input);
  // The agent worked on one finding of the item (RunAgent); the others left it there.
  const fp = task.fingerprint;
  const earlier = state.patch?.settled ?? [];
  const output = await ctx.artifacts.get<SandboxOutput>(run.output);
  if (output.status === 'failed') throw new SandboxFailedError(output.error);
  const { usage } = output;
  const at = ctx.now();
  await ctx.ledger.appendAudit({ fingerprint: fp, type: 'model.usage', actor: ctx.actor, at, data: { ...usage } });

  const noFix = async (reason: string): Promise<PatchOutput> => {
    const settled = await settle(ctx, fp, 'located', 'no_fix', reason, { model: usage.model, usage });
    return { status: 'no_fix', model: usage.model, usage, reason, settled: [...earlier, settled] };
  };
  if (output.status === 'no_fix') return noFix(printable(output.reason).slice(0, 2_000));

  const workspace = new Workspace(task.files, task.editable);
  const foreign = output.files.filter((f) => !task.editable.includes(f.path)).map((f) => printable(f.path).slice(0, 200));
  if (foreign.length > 0) return noFix(`the sandbox returned changes to files the remediation may not change: ${foreign.join(', ')}`);
  for (const file of output.files) workspace.replace(file.path, file.after);
  const skills = task.finding.controlId ? await skillsFor(task.finding.controlId, task.target.kind) : [];
  // No validator here: terraform and cfn-lint run on model-written text only in the sandbox.
  const allSkills = await skillsOfKind(task.target.kind);
  const reviewer = await reviewerFor(task, { skills, allSkills, options: skillOptionsOf(ctx.config) });
  const review = reviewer ? await reviewer.review(workspace) : undefined;
  const verdict = review && withCheck(review.checks, sandboxValidatorCheck(task.target.kind, output.validation.checks));
  if (!verdict?.passed) {
    const failed = verdict?.checks.filter((c) => c.status === 'failed').map((c) => `${c.name}: ${c.detail}`) ?? [
      `${task.target.address} is not in ${task.target.file}`,
    ];
    return noFix(`the model's patch failed cloudmend's own review: ${failed.join('; ')}`);
  }
  const { checks } = verdict;
  const changed = workspace.changed();
  const artifact = `${fp}/${(await ctx.ledger.get(fp))?.attempts ?? 1}/patch.json`;
  const agentFinding = (await activeTargets(state, ctx.artifacts, 'CollectAgent')).find((i) => i.fingerprint === fp);
  if (agentFinding === undefined) throw new PatchError(`CollectAgent needs the finding ${fp} the agent worked on still in the work item`);
  const patch: Patch = {
    fingerprint: fp,
    repository: located.repository,
    base: repositoryOf(ctx, agentFinding).defaultBranch,
    commit: state.target?.commit ?? '',
    model: usage.model,
    summary: printable(output.summary).slice(0, 1_000),
    files: workspace.files().map((f) => ({ path: f.path, before: f.before, after: f.after })),
    diff: workspace.diff(),
    notes: [
      `Written by the model ${usage.model} in the sandbox (${usage.calls} calls, ${usage.inputTokens + usage.outputTokens} tokens), reviewed by cloudmend outside it.`,
    ],
    messages: [],
    // The skills of its control say what a fix of it does (a replacement, an interruption); none says nothing is known.
    ...risksOf(skills.map((s) => s.meta)),
    validation: { passed: true, checks },
  };
  await ctx.artifacts.put(artifact, patch);
  await ctx.ledger.transition({
    fingerprint: fp,
    from: 'located',
    to: 'patched',
    actor: ctx.actor,
    at,
    data: { model: usage.model, usage, artifact, files: changed },
  });
  return {
    status: 'patched',
    model: usage.model,
    usage,
    artifact,
    files: changed,
    validation: patch.validation,
    members: [fp],
    settled: earlier,
  };
};
