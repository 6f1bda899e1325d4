/**
 * What every workflow task may use: ports only. The local runtime binds SQLite, a git checkout
 * and the file system; the Lambda handlers bind DynamoDB, GitHub and S3. Task code is the same.
 */
import type { Config } from '../config/schema.js';
import type { Finding } from '../findings/finding.js';
import type { Ledger } from '../ledger/port.js';
import type { PullRequests, Repositories } from '../scm/port.js';

/** Where patches wait between tasks: Step Functions payloads are limited to 256 KB. */
export interface Artifacts {
  put(key: string, value: unknown): Promise<void>;
  /** Throws when the key does not exist. */
  get<T>(key: string): Promise<T>;
}

export interface ApprovalRequest {
  readonly approvalId: string;
  readonly fingerprint: string;
  readonly controlId?: string | undefined;
  readonly title: string;
  readonly severity: string;
  readonly resource: string;
  readonly account?: string | undefined;
  readonly region?: string | undefined;
  readonly repository: string;
  readonly skill?: string | undefined;
  /** The model that wrote the patch, when no skill did. */
  readonly model?: string | undefined;
  readonly diff: string;
  readonly validation: string;
  readonly expiresAt: Date;
  /** A drift decision (codify, revert or ignore) rather than a plain approval. */
  readonly drift?: DriftApproval | undefined;
}

/** What a drift approval shows besides the codify diff. */
export interface DriftApproval {
  /** One line per difference, as the comparison worded it (untrusted values inside). */
  readonly differences: readonly string[];
  /** Codifying would write a security weakening into the code. */
  readonly weakens: boolean;
  /** How long Ignore suppresses drift on the resource. */
  readonly ignoreDays: number;
}

/** Tells approvers a decision is waiting (Slack in AWS; the terminal locally). */
export interface ApprovalNotifier {
  requestApproval(request: ApprovalRequest): Promise<{ readonly channel?: string | undefined; readonly messageTs?: string | undefined }>;
}

/** A pull request as the finding's source is told about it. */
export interface OpenedPullRequest {
  readonly id: string;
  readonly branch: string;
  readonly url?: string | undefined;
}

/**
 * Tells a finding's source what cloudmend did (Security Hub: a note with the pull request and
 * workflow NOTIFIED). Locally nothing is called: the adapter records what it would have written.
 */
export interface FindingUpdates {
  pullRequestOpened(finding: Finding, pullRequest: OpenedPullRequest): Promise<void>;
}

/** The awsvpc network of the sandbox task (ECS RunTask's `AwsvpcConfiguration`). */
export interface SandboxNetwork {
  readonly Subnets: readonly string[];
  readonly SecurityGroups: readonly string[];
  readonly AssignPublicIp: 'DISABLED';
}

/**
 * The sandbox: the model agent, and the validators (terraform validate, cfn-lint) on any patch. In
 * AWS the state machine runs it as a Fargate task, and only `network` is asked of this port;
 * locally `run` starts the sandboxed agent process, or runs the validators in their jail.
 */
export interface SandboxPort {
  network(): Promise<SandboxNetwork>;
  /**
   * Runs the sandbox task at artifact `input` (the agent's, or the validators' on a patch),
   * leaving its output (`SandboxOutput`, `ValidationOutput`) at `output`.
   */
  run(request: { readonly input: string; readonly output: string }): Promise<void>;
}

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
