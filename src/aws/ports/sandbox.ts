/**
 * The sandbox port in AWS: where the Fargate task runs (the stack's isolated subnets and security
 * group). The state machine runs the task itself, so `run` is never called here.
 */
import type { PortFactory } from '../context.js';
import { ENV, required } from '../environment.js';

const list = (value: string): string[] =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

export const sandbox: PortFactory<'sandbox'> = (env) => ({
  network: () =>
    Promise.resolve({
      Subnets: list(required(env, ENV.sandboxSubnets)),
      SecurityGroups: list(required(env, ENV.sandboxSecurityGroups)),
      AssignPublicIp: 'DISABLED' as const,
    }),
  run: () => Promise.reject(new Error('in AWS the state machine runs the sandbox as a Fargate task; no function runs it')),
});
