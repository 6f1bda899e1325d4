/**
 * What every workflow task may use: ports only. The local runtime binds SQLite, a git checkout
 * and the file system; the Lambda handlers bind DynamoDB, GitHub and S3. Task code is the same.
 */
import type { Config } from '../config/schema.js';
import type { IacKind } from '../iac/source.js';
import type { Validator } from '../iac/validators/result.js';
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
  readonly repository: string;
  readonly skill?: string | undefined;
  readonly diff: string;
  readonly validation: string;
  readonly expiresAt: Date;
}

/** Tells approvers a decision is waiting (Slack in AWS; the terminal locally). */
export interface ApprovalNotifier {
  requestApproval(request: ApprovalRequest): Promise<{ readonly channel?: string | undefined; readonly messageTs?: string | undefined }>;
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
  readonly validators: Readonly<Record<IacKind, Validator>>;
  readonly now: () => Date;
  /** Who writes: `workflow:<execution>` in AWS, `local:<host>:<pid>:<run>` locally. */
  readonly actor: string;
}

/** A task: JSON in, JSON out, ports through the context. */
export type Task<In, Out> = (input: In, ctx: TaskContext) => Promise<Out>;
