/**
 * RunAgent: where no skill covers a control, the model writes the patch, in the sandbox. This
 * task only prepares: it packs what the agent may read (the located module or template, never the
 * repository) into the agent's task and leaves it in the artifact store; the state machine then
 * runs the sandbox (a Fargate task in AWS, a sandboxed process locally) and CollectAgent judges
 * what comes back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentTask } from '../../agent/task.js';
import { getControl } from '../../findings/controls.js';
import type { Task } from '../context.js';
import { AGENT_ONE_AT_A_TIME, codeTargets, configuredModel, needsModel, NO_MODEL } from '../item.js';
import { repositoryOf } from '../repository.js';
import type { IterationState, PatchOutput, Settled } from '../types.js';
import { taskValidators } from '../validation.js';

/** No model: every finding of the item needs one. A model: it works on the item's first finding, the others wait for runs of their own. */
export const runAgent: Task<IterationState, PatchOutput> = async (state, ctx) => {
  const [first, ...others] = await codeTargets(state, ctx.artifacts, 'RunAgent');
  const { model } = ctx.config;
  const modelId = configuredModel(ctx.config);
  const settled: Settled[] = [];
  for (const { finding, target } of modelId === undefined ? [first, ...others] : others)
    settled.push(await needsModel(ctx, finding, target.kind, modelId === undefined ? NO_MODEL : AGENT_ONE_AT_A_TIME));
  if (modelId === undefined) return { status: 'needs_model', reason: settled[0]!.reason, settled };
  const { finding, target } = first;
  const fp = finding.fingerprint;
  const repo = repositoryOf(ctx, first);
  const snapshot = await ctx.repositories.snapshot(repo.name, repo.defaultBranch);
  const control = finding.controlId === undefined ? undefined : getControl(finding.controlId);
  const task: AgentTask = {
    fingerprint: fp,
    finding: {
      controlId: finding.controlId,
      title: finding.title,
      severity: finding.severity.label,
      resourceType: finding.resource.type,
      resourceId: finding.resource.id,
      tags: finding.resource.tags,
    },
    control: control ? { id: control.id, title: control.title } : undefined,
    target: { kind: target.kind, file: target.file, address: target.address, resourceType: target.resourceType },
    files: target.files.map((path) => ({ path, text: readFileSync(join(snapshot.root, path), 'utf8') })),
    editable: target.files,
    model: { modelId, region: model.region },
    budgets: model.budgets,
    skills: ctx.config.skills,
    validators: taskValidators(ctx),
  };
  const attempt = (await ctx.ledger.get(fp))?.attempts ?? 1;
  const input = `sandbox/input/${fp}/${attempt}.json`;
  await ctx.artifacts.put(input, task);
  return {
    status: 'sandbox',
    model: modelId,
    sandbox: { mode: 'agent', input, output: `sandbox/output/${fp}/${attempt}.json`, network: await ctx.sandbox.network() },
    settled,
  };
};
