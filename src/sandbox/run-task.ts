/** One agent run inside the sandbox, with the validators and skills the sandbox has. */
import { runAgentLoop } from '../agent/loop.js';
import type { Model } from '../agent/model.js';
import type { AgentResult, AgentTask } from '../agent/task.js';
import { validatorsFor } from '../iac/validators/index.js';
import { skillOptionsOf } from '../skills/options.js';
import { skillsFor, skillsOfKind } from '../skills/registry.js';

export async function runTask(task: AgentTask, model: Model, env: NodeJS.ProcessEnv = process.env): Promise<AgentResult> {
  const skills = task.finding.controlId ? await skillsFor(task.finding.controlId, task.target.kind) : [];
  const validators = await validatorsFor({ validators: task.validators }, env, process.cwd());
  const allSkills = await skillsOfKind(task.target.kind);
  return runAgentLoop(task, {
    model,
    validation: { skills, allSkills, options: skillOptionsOf({ skills: task.skills }), validator: validators[task.target.kind] },
  });
}
