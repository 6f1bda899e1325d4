/**
 * The sandbox port locally: the agent in a sandboxed child process (src/sandbox/runner.ts), its
 * task and result through the artifact store as in AWS. The model is the user's: Bedrock with
 * their AWS credentials, held by this process and never passed to the child.
 */
import type { Model } from '../agent/model.js';
import type { AgentTask } from '../agent/task.js';
import { runInLocalSandbox } from '../sandbox/runner.js';
import { outputOf } from '../sandbox/output.js';
import type { Artifacts, SandboxPort } from '../workflow/context.js';

export interface LocalSandboxOptions {
  readonly artifacts: Artifacts;
  /** The model, or how to make it on first use. */
  readonly model: () => Promise<Model>;
  readonly env: NodeJS.ProcessEnv;
  readonly warn: (message: string) => void;
}

export function localSandbox(options: LocalSandboxOptions): SandboxPort {
  let model: Promise<Model> | undefined;
  return {
    network: () => Promise.resolve({ Subnets: [], SecurityGroups: [], AssignPublicIp: 'DISABLED' }),
    async run({ input, output }) {
      const task = await options.artifacts.get<AgentTask>(input);
      model ??= options.model();
      const result = await outputOf(async () => runInLocalSandbox(task, { model: await model!, env: options.env, warn: options.warn }));
      await options.artifacts.put(output, result);
    },
  };
}
