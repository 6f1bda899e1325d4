/**
 * The JSON that flows through the remediate state machine, state by state. Everything here must
 * stay small: findings and references, never file contents (those go to the artifact store).
 */
import type { ModelUsage } from '../agent/model.js';
import type { Tier } from '../config/schema.js';
import type { Finding } from '../findings/finding.js';
import type { GuardrailViolation } from '../guardrails/index.js';
import type { Target } from '../iac/locate.js';
import type { Decision } from '../policy/decide.js';
import type { Check } from '../skills/verify.js';
import type { SandboxNetwork } from '../sandbox/port.js';

export interface Settings {
  /** How long an approval request stays open before it expires. */
  readonly approvalTimeoutSeconds: number;
}

/** One item of the Map: a finding, what policy decided for it, and run settings. */
export interface FindingItem {
  readonly eventId: string;
  readonly finding: Finding;
  readonly decision: Decision;
  readonly settings: Settings;
  /**
   * A batch: the other findings of the same repository and control, fixed together with this one
   * (the group's representative) in one patch and one pull request.
   */
  readonly group?: FindingGroup | undefined;
}

export interface FindingGroup {
  readonly batchId: string;
  /** Artifact key of the other members (`FindingItem[]`): a batch is too large for the state (src/workflow/stored.ts). */
  readonly members: string;
  /** How many findings the group holds besides the representative. */
  readonly size: number;
}

export interface NormalizeOutput {
  readonly eventId: string;
  readonly detailType: string;
  readonly findings: readonly FindingItem[];
  /** Entries of the event that could not be read; recorded, not lost. */
  readonly problems: readonly string[];
}

export interface ClaimOutput {
  readonly status: 'claimed' | 'duplicate' | 'skipped';
  /** The ledger state the finding is in. */
  readonly state: string;
  readonly reason?: string | undefined;
  /** A group: the findings this run claimed (the representative among them, if it was). */
  readonly claimed?: readonly string[] | undefined;
  /** A group: where each finding it will not work on ended, and why. */
  readonly settled?: readonly MemberOutcome[] | undefined;
}

/** A located finding of a group, and its target. */
export interface MemberTarget {
  readonly fingerprint: string;
  readonly target: Target;
}

/** One finding of a group that left it early (a duplicate, no code, nothing to fix). */
export interface MemberOutcome {
  readonly fingerprint: string;
  readonly status: OutcomeStatus;
  readonly reason: string;
}

export interface LocateOutput {
  readonly found: boolean;
  readonly target?: Target | undefined;
  /** The commit of the default branch the target was read from. */
  readonly commit?: string | undefined;
  /** Skills that cover the control for this IaC kind, in the order they are tried. */
  readonly skills: readonly string[];
  /** For the state machine's Choice: `skills` is not empty. */
  readonly hasSkill: boolean;
  readonly reason?: string | undefined;
  /**
   * A group: artifact key of each located finding and its target (`MemberTarget[]`; `target` above
   * is the first of them): a hundred targets are too large for the state (src/workflow/stored.ts).
   */
  readonly members?: string | undefined;
  /** A group: findings whose code was not found. */
  readonly settled?: readonly MemberOutcome[] | undefined;
}

export interface PatchOutput {
  /**
   * `suggestion`: a skill knows the problem, only a person can fix it; `compliant`: the code
   * already is; `sandbox`: a task is ready for the sandbox (the agent's, or the validators' on a
   * skill or codify patch); `no_fix`: the agent found no safe fix within its budgets; `in_sync`:
   * a drift comparison found the code and the live resource in agreement.
   */
  readonly status: 'patched' | 'needs_model' | 'suggestion' | 'compliant' | 'sandbox' | 'no_fix' | 'in_sync';
  readonly skill?: string | undefined;
  /** The model that wrote the patch, when no skill did. */
  readonly model?: string | undefined;
  /** For the sandbox: what it runs, artifact keys of its task and result, and where it runs in AWS. */
  readonly sandbox?: SandboxRun | undefined;
  readonly usage?: ModelUsage | undefined;
  /** Artifact store key of the `Patch`. */
  readonly artifact?: string | undefined;
  readonly files?: readonly string[] | undefined;
  readonly validation?: { readonly passed: boolean; readonly checks: readonly Check[] } | undefined;
  readonly reason?: string | undefined;
  /** Drift: how to re-deploy the resource from its code, should the approvers choose revert. */
  readonly revert?: string | undefined;
  /** A group: the findings the patch fixes; the others left the group with their outcome. */
  readonly members?: readonly string[] | undefined;
  readonly settled?: readonly MemberOutcome[] | undefined;
}

/** A sandbox run: the model agent, or the validators on a patch written outside the sandbox. */
export interface SandboxRun {
  readonly mode: 'agent' | 'validate';
  readonly input: string;
  readonly output: string;
  readonly network: SandboxNetwork;
}

/** What ApplySkill (or the agent) leaves in the artifact store. */
export interface Patch {
  readonly fingerprint: string;
  readonly repository: string;
  readonly base: string;
  readonly commit: string;
  readonly skill?: string | undefined;
  readonly model?: string | undefined;
  /** The model's own account of its change: untrusted text, shown as such. */
  readonly summary?: string | undefined;
  readonly files: readonly { readonly path: string; readonly before: string | undefined; readonly after: string }[];
  readonly diff: string;
  readonly notes: readonly string[];
  readonly messages: readonly string[];
  readonly risk?: string | undefined;
  readonly validation: { readonly passed: boolean; readonly checks: readonly Check[] };
  /** A drift codify patch: the differences it writes into the code. */
  readonly drift?: DriftPatch | undefined;
}

export interface DriftPatch {
  /** One line per difference (see `differenceLines`). */
  readonly differences: readonly string[];
  /** Some difference is security-relevant. */
  readonly security: boolean;
  /** Codifying writes a security weakening into the code: approval is required, and the pull request says so first. */
  readonly weakens: boolean;
  /** How to re-deploy the code instead (revert). */
  readonly revert: string;
}

export interface PolicyOutput {
  readonly allowed: boolean;
  readonly tier: Tier;
  readonly violations?: readonly GuardrailViolation[] | undefined;
  readonly reason?: string | undefined;
}

export interface ApprovalOutput {
  readonly approvalId: string;
  readonly approved: boolean;
  readonly by?: string | undefined;
  /** A drift approval's choice (`codify` when approved). */
  readonly choice?: string | undefined;
}

export interface PullRequestOutput {
  readonly id: string;
  readonly branch: string;
  readonly commit: string;
  readonly url?: string | undefined;
  readonly created: boolean;
}

/** The state of one Map iteration as it reaches Record or RecordFailure. */
export interface IterationState extends FindingItem {
  readonly claim?: ClaimOutput | undefined;
  readonly target?: LocateOutput | undefined;
  readonly patch?: PatchOutput | undefined;
  readonly policy?: PolicyOutput | undefined;
  readonly approval?: ApprovalOutput | undefined;
  readonly approvalError?: { readonly Error: string; readonly Cause?: string } | undefined;
  readonly pullRequest?: PullRequestOutput | undefined;
  readonly error?: { readonly Error: string; readonly Cause?: string } | undefined;
}

export const OUTCOME_STATUSES = [
  'pr_opened',
  'duplicate',
  'skipped',
  'no_target',
  'needs_model',
  'no_fix',
  'in_sync',
  'recommended',
  'denied_by_policy',
  'rejected',
  'revert_requested',
  'ignored',
  'expired',
  'failed',
] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/** One finding's result, as `cloudmend run --json` prints it. */
export interface FindingOutcome {
  /**
   * A group's representative carries the outcomes of the other findings of its group, each as what
   * differs from its own: a batch's state holds the shared parts (files, validation) once.
   */
  readonly members?: readonly (Partial<Omit<FindingOutcome, 'members'>> & { readonly fingerprint: string })[] | undefined;
  readonly fingerprint: string;
  readonly controlId: string | null;
  readonly status: OutcomeStatus;
  readonly skill: string | null;
  readonly branch: string | null;
  readonly files: readonly string[];
  readonly validation: { readonly passed: boolean; readonly checks: readonly Check[] } | null;
  readonly approval: { readonly id: string; readonly decision: string; readonly by: string | null } | null;
  readonly reason: string;
}
