/**
 * The JSON that flows through the remediate state machine, state by state. Everything here must
 * stay small: findings and references, never file contents (those go to the artifact store).
 */
import type { ModelUsage } from '../agent/model.js';
import type { Tier } from '../config/schema.js';
import type { Finding } from '../findings/finding.js';
import type { GuardrailViolation } from '../guardrails/index.js';
import type { Target } from '../iac/locate.js';
import type { DriftSeverity } from '../drift/index.js';
import type { Decision } from '../policy/decide.js';
import type { Check } from '../skills/verify.js';
import type { SandboxNetwork } from '../sandbox/port.js';
import type { OpenChange } from '../scm/change-plan.js';
import type { BranchOwner, PullRequestResult } from '../scm/port.js';

export interface Settings {
  /** How long an approval request stays open before it expires. */
  readonly approvalTimeoutSeconds: number;
}

/** One finding of a work item, and what policy decided for it. */
export interface ItemFinding {
  readonly eventId: string;
  readonly finding: Finding;
  readonly decision: Decision;
  /**
   * The branch the finding's code is read from and its pull request based on, instead of the
   * repository's default branch: a smoke test's scratch branch (`cloudmend-smoke/<runId>`), set by
   * Normalize only when the ledger records that run for this repository and it has not expired. Never
   * taken from the event. Such a finding is alone in its work item.
   * @default - the repository's configured default branch
   */
  readonly base?: string | undefined;
}

/**
 * A list that travels inline while it is small, and by the key of an artifact once it is not
 * (src/workflow/stored.ts): a batch of a hundred findings or targets would not fit the state.
 */
export type Carried<T> = readonly T[] | string;

/**
 * The unit of work of the Map: 1..n findings of one repository fixed together, in one patch, one
 * approval and one pull request (a single finding is n = 1). Each task works on the findings still
 * in the item; a finding that ends early (a duplicate, no code, nothing to fix) leaves it with its
 * own outcome (`Settled`), the rest go on.
 */
export interface WorkItem {
  readonly settings: Settings;
  /** `drift`: a drifted resource, compared with its code (CompareDrift); always one finding. */
  readonly kind: 'fix' | 'drift';
  /** The batch the item came from, if any: it names the item's branch. */
  readonly batchId?: string | undefined;
  readonly size: number;
  readonly findings: Carried<ItemFinding>;
}

export interface NormalizeOutput {
  readonly eventId: string;
  readonly detailType: string;
  readonly items: readonly WorkItem[];
  /** Entries of the event that could not be read; recorded, not lost. */
  readonly problems: readonly string[];
}

/** A finding that left its item early (a duplicate, no code, nothing to fix), with its outcome. */
export interface Settled {
  readonly fingerprint: string;
  readonly status: OutcomeStatus;
  readonly reason: string;
}

/** The open change a work item writes to (its branch and owner), and why. */
export interface ItemChange {
  readonly pullRequestId: string;
  readonly branch: string;
  readonly owner: BranchOwner;
  readonly action: 'update' | 'rebase';
}

export interface ClaimOutput {
  /** `claimed`: some finding of the item was; otherwise every finding settled (see `settled`). */
  readonly status: 'claimed' | 'duplicate' | 'skipped';
  /** The ledger state of the item's finding (n = 1), or the status. */
  readonly state: string;
  readonly reason?: string | undefined;
  /** The findings this run claimed and works on (those that joined from an open change among them). */
  readonly claimed: readonly string[];
  readonly settled: readonly Settled[];
  /** Findings of the open changes of the item's resources, put back to work with it (src/workflow/changes.ts). */
  readonly joined?: Carried<ItemFinding> | undefined;
  /** The open change the item writes to, instead of a new branch. */
  readonly change?: ItemChange | undefined;
  /** Open changes folded into the item's, retired once it is written. */
  readonly supersedes?: readonly OpenChange[] | undefined;
}

/**
 * A CDK app's finding as Locate leaves it: the app is found (its cdk.json's entry file); the
 * construct is found only when the app is synthesized, which runs its code, in the sandbox.
 */
export interface AppTarget {
  readonly repository: string;
  readonly kind: 'cdk';
  readonly file: string;
  readonly files: readonly string[];
  /** The finding's resource, as it names it. */
  readonly address: string;
  readonly resourceType: string;
  readonly strategy: 'synth';
}

/** A located finding and its target, with the skills that cover its control there. */
export interface LocatedFinding {
  readonly fingerprint: string;
  readonly target: Target | AppTarget;
  readonly skills: readonly string[];
}

export interface LocateOutput {
  readonly found: boolean;
  /** The first located finding's target (every one of them is in `located`). */
  readonly target?: Target | AppTarget | undefined;
  /** The commit of the default branch the targets were read from. */
  readonly commit?: string | undefined;
  /** For the state machine's Choice: some located finding has a covering skill. */
  readonly hasSkill: boolean;
  readonly reason?: string | undefined;
  readonly located: Carried<LocatedFinding>;
  readonly settled: readonly Settled[];
}

/** The independent checks of a patch; `remaining`: what the skills still report and cannot fix (a partial fix). */
export interface Validation {
  readonly passed: boolean;
  readonly checks: readonly Check[];
  readonly remaining?: readonly string[] | undefined;
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
  readonly validation?: Validation | undefined;
  readonly reason?: string | undefined;
  /** Drift: how to re-deploy the resource from its code, should the approvers choose revert. */
  readonly revert?: string | undefined;
  /** The findings the patch fixes. */
  readonly members?: readonly string[] | undefined;
  /** The findings that left the item here, with their outcome. */
  readonly settled?: readonly Settled[] | undefined;
}

/** A sandbox run: the model agent, the validators on a patch written outside the sandbox, or a CDK app's fix (synthesized there). */
export interface SandboxRun {
  readonly mode: 'agent' | 'validate' | 'cdk';
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
  /**
   * The fix replaces a resource or interrupts it (its skill's meta, or for a model's patch the meta of
   * its control's skills, says `risk: 'replacement'` or `'downtime'`): it always goes to an approver,
   * and the pull request's rollback is this text (empty: a replacement only the guardrail saw),
   * not "revert and deploy again".
   */
  readonly disruption?: { readonly kind: 'replacement' | 'downtime'; readonly rollback: string } | undefined;
  readonly validation: Validation;
  /** A drift codify patch: the differences it writes into the code. */
  readonly drift?: DriftPatch | undefined;
  /** A CDK app's patch: the constructs it changes and what it does to the synthesized templates, for the guardrail and the reviewer. */
  readonly cdk?: CdkPatch | undefined;
}

export interface CdkPatch {
  /** Each fixed construct: where its expression starts in the original TypeScript, and what it synthesizes to. */
  readonly constructs: readonly {
    readonly file: string;
    readonly line: number;
    readonly column: number;
    readonly path: string;
    readonly stack: string;
    readonly logicalId: string;
  }[];
  /** The synthesized templates of the stacks the patch changes, before and after. */
  readonly templates: readonly { readonly stack: string; readonly before: string; readonly after: string }[];
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
  /** False when cloudmend cannot write the live values: the approvers choose revert or ignore, and codify is not offered. */
  readonly codify?: boolean | undefined;
  /** The severity the differences deserve (src/drift/severity.ts), when a security rule raises it: a person decides. */
  readonly severity?: DriftSeverity | undefined;
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
  /** An existing branch moved to a new commit (an update or a rebase of its change). */
  readonly updated?: boolean | undefined;
  /** What pushing to origin found and did (`PullRequestResult.origin`); undefined when nothing was pushed. */
  readonly origin?: PullRequestResult['origin'];
}

/** The state of one Map iteration as it reaches Record or RecordFailure. */
export interface IterationState extends WorkItem {
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
   * An item's first finding carries the outcomes of its other findings, each as what differs from
   * its own: a batch's state holds the shared parts (files, validation) once.
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
