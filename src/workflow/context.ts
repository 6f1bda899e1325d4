/**
 * What every workflow task may use: ports only. The local runtime binds SQLite, a git checkout
 * and the file system; the Lambda handlers bind DynamoDB, GitHub and S3. Task code is the same.
 */
import type { Config } from '../config/schema.js';
import type { Artifacts } from '../artifacts/port.js';
import type { ApprovalNotifier } from '../approvals/port.js';
import type { FindingUpdates } from '../findings/updates.js';
import type { SandboxPort } from '../sandbox/port.js';
import type { Ledger } from '../ledger/port.js';
import type { PullRequests, Repositories } from '../scm/port.js';

export interface TaskContext {
  readonly config: Config;
  /** Directory relative paths in the config resolve against. */
  readonly configDir: string;
  readonly ledger: Ledger;
  readonly repositories: Repositories;
  readonly pullRequests: PullRequests;
  readonly artifacts: Artifacts;
  readonly approvals: ApprovalNotifier;
  readonly findingUpdates: FindingUpdates;
  readonly sandbox: SandboxPort;
  readonly now: () => Date;
  /** Who writes: `workflow:<execution>` in AWS, `local:<host>:<pid>:<run>` locally. */
  readonly actor: string;
}

/** The parts of a context that reach outside the process; each task declares the ones it uses. */
export const PORTS = [
  'ledger',
  'repositories',
  'pullRequests',
  'artifacts',
  'approvals',
  'findingUpdates',
  'sandbox',
] as const satisfies readonly (keyof TaskContext)[];
export type Port = (typeof PORTS)[number];

/**
 * The context a task may see: its declared ports, config and clock. Touching another port throws,
 * as the missing IAM permission would in AWS.
 */
export function scopedContext(ctx: TaskContext, task: string, ports: readonly Port[]): TaskContext {
  const allowed = new Set<PropertyKey>(ports);
  return new Proxy(ctx, {
    get(target, key, receiver) {
      if ((PORTS as readonly PropertyKey[]).includes(key) && !allowed.has(key)) {
        throw new Error(`task ${task} used the ${String(key)} port, which its entry in the task table does not declare`);
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

/** A task: JSON in, JSON out, ports through the context. */
export type Task<In, Out> = (input: In, ctx: TaskContext) => Promise<Out>;
