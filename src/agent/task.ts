/**
 * What an agent run is given and what it gives back: plain JSON, because it crosses a process (the
 * local sandbox) or a container boundary (the Fargate task, through S3).
 */
import type { Config } from '../config/schema.js';
import type { IacKind } from '../iac/source.js';
import type { Check } from '../skills/verify.js';
import type { GuardrailViolation } from '../guardrails/index.js';
import type { ModelUsage } from './model.js';

export interface AgentTask {
  readonly fingerprint: string;
  /** Untrusted: as the finding's source wrote it. */
  readonly finding: {
    readonly controlId?: string | undefined;
    readonly title: string;
    readonly severity: string;
    readonly resourceType: string;
    readonly resourceId: string;
    readonly tags: Readonly<Record<string, string>>;
  };
  readonly control?: { readonly id: string; readonly title: string } | undefined;
  readonly target: { readonly kind: IacKind; readonly file: string; readonly address: string; readonly resourceType: string };
  /** Everything the agent may read: the module's files or the template. */
  readonly files: readonly { readonly path: string; readonly text: string }[];
  /** The files it may change. */
  readonly editable: readonly string[];
  readonly model: { readonly modelId: string; readonly region?: string | undefined };
  readonly budgets: Config['model']['budgets'];
  readonly skills: Config['skills'];
  readonly validators: Config['validators'];
}

export type AgentResult =
  | {
      readonly status: 'patched';
      readonly files: readonly { readonly path: string; readonly before: string; readonly after: string }[];
      readonly diff: string;
      /** The model's own summary of the change: untrusted, shown as such. */
      readonly summary: string;
      readonly validation: { readonly passed: boolean; readonly checks: readonly Check[] };
      readonly usage: ModelUsage;
    }
  | {
      readonly status: 'no_fix';
      readonly reason: string;
      readonly violations?: readonly GuardrailViolation[] | undefined;
      readonly usage: ModelUsage;
    };

/** What the sandbox leaves where CollectAgent reads it: the agent's result, or why the run failed. */
export type SandboxOutput =
  | AgentResult
  | { readonly status: 'failed'; readonly error: { readonly name: string; readonly message: string } };
