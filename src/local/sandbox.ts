/**
 * The sandbox port locally, for the same kinds of task as the Fargate sandbox, through the
 * artifact store as in AWS. An agent task runs in a sandboxed child process (src/sandbox/runner.ts)
 * with the user's model (Bedrock with their AWS credentials), held by this process and never
 * passed to the child. A validation task runs the validators here: each of their runs is already
 * its own jail (src/iac/validators/jail.ts), and no model or budget is involved that would call
 * for the child. A CDK task (synthesize, fix, synthesize again) runs here for the same reason: each
 * synthesis is jailed.
 */
import type { Model } from '../agent/model.js';
import type { AgentTask } from '../agent/task.js';
import { toolJail } from '../iac/validators/jail.js';
import { outputOf } from '../sandbox/output.js';
import { isCdkTask, runCdkTask, type CdkTask } from '../sandbox/cdk.js';
import { runInLocalSandbox } from '../sandbox/runner.js';
import { isValidationTask, runValidation, validatorsOf } from '../sandbox/validation.js';
import type { ValidationTask, Validators } from '../sandbox/validation.js';
import type { Artifacts } from '../artifacts/port.js';
import type { SandboxPort } from '../sandbox/port.js';

export interface LocalSandboxOptions {
  readonly artifacts: Artifacts;
  /** The model, or how to make it on first use. */
  readonly model: () => Promise<Model>;
  readonly env: NodeJS.ProcessEnv;
  readonly warn: (message: string) => void;
}

export function localSandbox(options: LocalSandboxOptions): SandboxPort {
  let model: Promise<Model> | undefined;
  let warned = false;
  // One set per configuration: terraform's copy is initialised once, not once per patch.
  const cached = new Map<string, Promise<Validators>>();
  const validatorsFor = (task: ValidationTask): Promise<Validators> => {
    const key = JSON.stringify(task.validators);
    if (!cached.has(key)) cached.set(key, validatorsOf(task, options.env));
    return cached.get(key)!;
  };
  /** Once per run: validators that are on but cannot be jailed here are skipped, and the user is told. */
  const warnWithoutJail = async (validators: AgentTask['validators']): Promise<void> => {
    if (warned || (validators.terraform.mode === 'off' && validators.cfnLint.mode === 'off')) return;
    warned = true;
    const { reason } = await toolJail(options.env);
    if (reason) options.warn(`WARNING: terraform validate and cfn-lint are SKIPPED: ${reason}`);
  };
  return {
    network: () => Promise.resolve({ Subnets: [], SecurityGroups: [], AssignPublicIp: 'DISABLED' }),
    async run({ input, output }) {
      const task = await options.artifacts.get<AgentTask | ValidationTask | CdkTask>(input);
      const { env, warn } = options;
      // A CDK app is synthesized in the tool jail; without one its findings say so themselves.
      if (isCdkTask(task)) return options.artifacts.put(output, await outputOf(() => runCdkTask(task, env)));
      await warnWithoutJail(task.validators);
      if (isValidationTask(task)) {
        return options.artifacts.put(output, await outputOf(async () => runValidation(task, await validatorsFor(task))));
      }
      model ??= options.model();
      const result = await outputOf(async () => runInLocalSandbox(task, { model: await model!, env, warn }));
      await options.artifacts.put(output, result);
    },
  };
}
