/**
 * Sandbox: in AWS this state is an ECS RunTask of the Fargate sandbox, not a function; locally it
 * is bound here, reading the same parameters the state machine would hand ECS.
 */
import { SANDBOX_ENV } from '../../sandbox/environment.js';
import type { Task } from '../context.js';
import { PatchError } from '../errors.js';

/** The part of ECS RunTask's parameters the sandbox reads: its container's environment. */
export interface SandboxParameters {
  readonly Overrides?: {
    readonly ContainerOverrides?: readonly { readonly Environment?: readonly { readonly Name: string; readonly Value: string }[] }[];
  };
}

export const sandbox: Task<SandboxParameters, Record<string, never>> = async (params, ctx) => {
  const env = new Map((params.Overrides?.ContainerOverrides ?? []).flatMap((c) => c.Environment ?? []).map((e) => [e.Name, e.Value]));
  const input = env.get(SANDBOX_ENV.input);
  const output = env.get(SANDBOX_ENV.output);
  if (!input || !output)
    throw new PatchError(`the sandbox needs ${SANDBOX_ENV.input} and ${SANDBOX_ENV.output} in its container overrides`);
  await ctx.sandbox.run({ input, output });
  return {};
};
