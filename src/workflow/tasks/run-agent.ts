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
import { PatchError } from '../errors.js';
import { repositoryOf } from '../repository.js';
import type { IterationState, PatchOutput } from '../types.js';
import { taskValidators } from '../validation.js';

export const runAgent: Task<IterationState, PatchOutput> = async (state, ctx) => {
  const { finding, decision } = state;
  const target = state.target?.target;
  if (!target) throw new PatchError('RunAgent needs a located target');
  const fp = finding.fingerprint;
  const { model } = ctx.config;
  if (model.provider === 'none' || model.modelId === undefined) {
    const reason = `no skill covers ${finding.controlId ?? 'this finding'} in ${target.kind}, and no model is configured (model.provider: none)`;
    await ctx.ledger.transition({ fingerprint: fp, from: 'located', to: 'needs_model', actor: ctx.actor, at: ctx.now(), reason });
    return { status: 'needs_model', reason };
  }
  const repo = repositoryOf(ctx, decision.code === 'remediate' ? decision.repository : undefined);
  const snapshot = await ctx.repositories.snapshot(repo.name);
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
    model: { modelId: model.modelId, region: model.region },
    budgets: model.budgets,
    skills: ctx.config.skills,
    validators: taskValidators(ctx),
  };
  const attempt = (await ctx.ledger.get(fp))?.attempts ?? 1;
  const input = `sandbox/input/${fp}/${attempt}.json`;
  await ctx.artifacts.put(input, task);
  return {
    status: 'sandbox',
    model: model.modelId,
    sandbox: { mode: 'agent', input, output: `sandbox/output/${fp}/${attempt}.json`, network: await ctx.sandbox.network() },
  };
};
