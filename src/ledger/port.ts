/**
 * The ledger: the durable record of every finding cloudmend has seen and where it ended.
 *
 * Every write is conditional (compare-and-set on the current state or on absence), so the same port
 * maps onto SQLite transactions locally and onto DynamoDB condition expressions in AWS.
 */
import type { BranchOwner } from '../scm/port.js';
import type { FindingState } from './states.js';

/** Who or what caused a change: `workflow:<execution>`, `cli:<user>`, `slack:<user id>`. */
export type Actor = string;

/** What the ledger keeps about a finding besides its state: enough to list and explain it. */
export interface FindingSummary {
  readonly source: string;
  readonly controlId?: string | undefined;
  readonly title?: string | undefined;
  readonly severity?: string | undefined;
  readonly account?: string | undefined;
  readonly region?: string | undefined;
  readonly resourceType?: string | undefined;
  readonly resourceId?: string | undefined;
}

export interface FindingRecord {
  readonly fingerprint: string;
  readonly state: FindingState;
  /** Increases by one with every accepted write; useful for optimistic checks and tests. */
  readonly version: number;
  /** How many times the finding was claimed for action (re-claims after `skipped` or `failed` count). */
  readonly attempts: number;
  readonly summary: FindingSummary;
  /** Why the finding is in this state, for skipped, failed and terminal states. */
  readonly reason?: string | undefined;
  /** Free-form result data of the last transition (pull-request URL, branch, skill id...). */
  readonly data?: Record<string, unknown> | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly updatedBy: Actor;
}

export interface ClaimInput {
  readonly fingerprint: string;
  readonly summary: FindingSummary;
  readonly actor: Actor;
  readonly at: Date;
}

/**
 * `claimed: true` means this caller owns the finding now (state `claimed`). `false` means another
 * claim holds it or it already ended; `record` says where it is.
 */
export type ClaimResult =
  | { readonly claimed: true; readonly record: FindingRecord }
  | { readonly claimed: false; readonly record: FindingRecord };

export interface SkipInput extends ClaimInput {
  readonly reason: string;
}

/** `recorded: false` when the finding is already in flight or finished: a skip never clobbers work. */
export type SkipResult = { readonly recorded: boolean; readonly record: FindingRecord };

export interface TransitionInput {
  readonly fingerprint: string;
  /** The state(s) the caller believes the finding is in; the write happens only if it still is. */
  readonly from: FindingState | readonly FindingState[];
  readonly to: FindingState;
  readonly actor: Actor;
  readonly at: Date;
  readonly reason?: string | undefined;
  readonly data?: Record<string, unknown> | undefined;
  /** A severity the work found the finding deserves (a drift's security rules): the summary's severity becomes it. */
  readonly severity?: string | undefined;
}

/** A person putting a finished finding back to work (`cloudmend retry`). */
export interface RetryInput {
  readonly fingerprint: string;
  readonly actor: Actor;
  readonly at: Date;
  /** Why, for the record (the finding's reason becomes `retry: <reason>`). */
  readonly reason: string;
}

export interface ListQuery {
  readonly state?: FindingState | readonly FindingState[] | undefined;
  /** Only findings last updated strictly before this moment (the stuck-finding sweep's bound). */
  readonly updatedBefore?: Date | undefined;
  /** @default 100 */
  readonly limit?: number | undefined;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

export interface NewApproval {
  /** Opaque id shown to approvers (button values carry this, never the task token). */
  readonly id: string;
  readonly fingerprint: string;
  /** Step Functions task token: up to 2,048 characters today; stored without truncation. */
  readonly taskToken: string;
  readonly requestedAt: Date;
  readonly expiresAt: Date;
  /** Where the request was posted (Slack channel and message ts), when known. */
  readonly channel?: string | undefined;
  readonly messageTs?: string | undefined;
}

export interface ApprovalRecord extends NewApproval {
  readonly status: ApprovalStatus;
  readonly decidedAt?: Date | undefined;
  readonly decidedBy?: Actor | undefined;
  /** The option the winning decision picked (`codify`, `revert`, `ignore`); undefined for plain approvals. */
  readonly choice?: string | undefined;
}

export interface DecideInput {
  readonly id: string;
  readonly decision: 'approved' | 'rejected' | 'expired';
  readonly actor: Actor;
  readonly at: Date;
  /**
   * Which of several options the approver picked (drift approvals offer `codify`, `revert`,
   * `ignore`): a lowercase word matching `^[a-z][a-z_]{0,31}$`, else `decideApproval` throws
   * `RangeError`. Stored only by the winning decision; a late click that turns into `expired`
   * stores none.
   * @default - a plain approval: no choice
   */
  readonly choice?: string | undefined;
}

export interface ReassignInput {
  readonly id: string;
  /** The task token the approval must still have. */
  readonly from: string;
  readonly to: string;
}

/**
 * The outcome of consuming an approval. Only `decided` carries authority to call SendTask*; every
 * other outcome means a double click, a replay or a late click, and changes nothing.
 */
export type DecideResult =
  | { readonly outcome: 'decided'; readonly approval: ApprovalRecord }
  | { readonly outcome: 'already_decided'; readonly approval: ApprovalRecord }
  | { readonly outcome: 'expired'; readonly approval: ApprovalRecord }
  | { readonly outcome: 'not_found' };

export interface AuditEvent {
  readonly fingerprint?: string | undefined;
  /** e.g. `claimed`, `transition`, `skip`, `approval.requested`, `approval.decided`, `suppression.set`. */
  readonly type: string;
  readonly actor: Actor;
  readonly at: Date;
  readonly data?: Record<string, unknown> | undefined;
}

export interface StoredAuditEvent extends AuditEvent {
  /** Monotonic within one ledger. */
  readonly seq: number;
}

/** A pull request cloudmend opened (or would open, locally: a branch and this record). */
export interface PullRequestRecord {
  /** `local:<repository>:<branch>` or the host's id. */
  readonly id: string;
  readonly fingerprint: string;
  readonly repository: string;
  readonly branch: string;
  readonly base: string;
  readonly title: string;
  /** Markdown: the finding, evidence, validation, diff, rollback note. */
  readonly body: string;
  readonly commit: string;
  readonly url?: string | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** "Ignore this drift on this resource until `until`": one per key, the newest decision wins. */
export interface Suppression {
  /**
   * What is suppressed, e.g. `drift:<partition>:<account>:<region>:<resource key>`: 1 to
   * `MAX_SUPPRESSION_KEY_LENGTH` (512) characters, counted as `String.prototype.length`.
   */
  readonly key: string;
  /** The first moment the suppression no longer applies. */
  readonly until: Date;
  readonly actor: Actor;
  /** When the decision was made; orders competing decisions on the same key. */
  readonly at: Date;
  readonly reason: string;
  /** The finding whose decision created it. */
  readonly fingerprint?: string | undefined;
}

export type NewPullRequest = Omit<PullRequestRecord, 'createdAt' | 'updatedAt'> & { readonly at: Date };

/** `open` while its pull request is; `merged` or `closed` once a run saw it so (or retired it). */
export type ChangeState = 'open' | 'merged' | 'closed';

/**
 * One change: the pull request (and branch) that fixes one or more resources of a repository. A
 * resource is covered by at most one open change at a time (see `openChangeFor`).
 */
export interface ChangeRecord {
  /** The pull request's id (`PullRequestResult.id`). */
  readonly pullRequestId: string;
  readonly repository: string;
  readonly branch: string;
  /** Who the branch belongs to (its commits' trailer). */
  readonly owner: BranchOwner;
  /** Resource keys it covers (`resourceKeyOf`: the ARN where known, else `type/id`), in the order added. */
  readonly resources: readonly string[];
  /** Findings it fixes, in the order added. */
  readonly fingerprints: readonly string[];
  /**
   * Artifact key of the findings themselves, as the workflow carries them: what an update or a
   * rebase fixes again on the default branch's head. A write with a key replaces the one before.
   */
  readonly findings?: string | undefined;
  readonly state: ChangeState;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What opening a pull request, or moving its branch, changed (at least one resource): recorded by `recordChange`. */
export type ChangeInput = Omit<ChangeRecord, 'state' | 'createdAt' | 'updatedAt'> & { readonly at: Date };

export interface CloseChangeInput {
  readonly pullRequestId: string;
  /** `merged`: its fix is on the default branch; `closed`: closed unmerged, retired, or its branch gone. */
  readonly state: Exclude<ChangeState, 'open'>;
  readonly at: Date;
}

/**
 * A smoke test someone started (`cloudmend smoke`): what lets the workflow trust a finding about its
 * bucket and base the fix on its scratch branch, `cloudmend-smoke/<runId>` (derived, never stored).
 */
export interface SmokeRun {
  /** 12 lowercase hexadecimal digits. */
  readonly runId: string;
  /** The configured repository whose scratch branch holds the bucket. */
  readonly repository: string;
  readonly by: Actor;
  readonly startedAt: Date;
  /** From this moment on, a finding of the run is treated as any other (no scratch branch). */
  readonly expiresAt: Date;
}

export interface Ledger {
  /** Claim a fingerprint for action: succeeds when it is new, or was `skipped` or `failed` before. */
  claim(input: ClaimInput): Promise<ClaimResult>;
  /** Record that a finding was seen and deliberately not acted on, with the reason. */
  recordSkip(input: SkipInput): Promise<SkipResult>;
  /**
   * Move a finding from one of `from` to `to`, atomically with its audit event. Throws
   * `LedgerConflictError` when the finding is no longer in `from`, `InvalidTransitionError` when the
   * state machine does not allow the move, `LedgerNotFoundError` when the fingerprint is unknown.
   */
  transition(input: TransitionInput): Promise<FindingRecord>;
  /**
   * Put a finished finding (any of `TERMINAL_STATES`) back to work: it becomes `failed` with the reason
   * `retry: <reason>`, which the next claim takes over, so its next delivery runs it again; the audit
   * event `retry` records who and why. Throws `LedgerNotFoundError` for an unknown fingerprint,
   * `LedgerConflictError` when the finding is in flight (a run works on it, or waits for a person).
   */
  retry(input: RetryInput): Promise<FindingRecord>;
  get(fingerprint: string): Promise<FindingRecord | undefined>;
  /** Most recently updated first. */
  list(query?: ListQuery): Promise<FindingRecord[]>;

  /** Store a pending approval; throws `LedgerConflictError` when the id already exists. */
  putApproval(approval: NewApproval): Promise<void>;
  getApproval(id: string): Promise<ApprovalRecord | undefined>;
  /** Consume a pending approval exactly once. Approve/reject after `expiresAt` yields `expired`. */
  decideApproval(input: DecideInput): Promise<DecideResult>;
  /**
   * Compare-and-set on an approval's task token: it becomes `to` only while it is still `from`,
   * whatever the status; false when it is not (another took it first) or the id is unknown. A local
   * run takes over the approvals of a run that is gone this way; in AWS a token stays its execution's.
   */
  reassignApproval(input: ReassignInput): Promise<boolean>;

  /** Pending (or other) approvals, oldest request first. */
  listApprovals(query?: { readonly status?: ApprovalStatus | undefined }): Promise<ApprovalRecord[]>;

  /** Records a pull request; the same id again updates it (title, body, commit), never duplicates. */
  putPullRequest(pr: NewPullRequest): Promise<PullRequestRecord>;
  getPullRequest(id: string): Promise<PullRequestRecord | undefined>;
  /** The pull requests of one finding, oldest first. */
  pullRequestsFor(fingerprint: string): Promise<PullRequestRecord[]>;

  /** The open change that covers `resource` (a `resourceKeyOf` key) of `repository`, if any; read strongly consistent. */
  openChangeFor(repository: string, resource: string): Promise<ChangeRecord | undefined>;
  /**
   * Records the change a pull request makes when it opens or its branch moves: a new change, or an
   * open one with `input`'s resources and fingerprints added (never removed), or a closed one opened
   * again with only `input`'s. Throws `LedgerConflictError` when one of the resources is covered by
   * another open change (retire or close that one first), or the open change has another branch or
   * owner; `RangeError` for no resources.
   */
  recordChange(input: ChangeInput): Promise<ChangeRecord>;
  /**
   * Closes the change (merged, or closed unmerged): its resources are free for a new change.
   * Undefined for an unknown id; closing a closed change changes nothing and returns it.
   */
  closeChange(input: CloseChangeInput): Promise<ChangeRecord | undefined>;

  /**
   * Creates or replaces the suppression of `key` (the newest decision wins), and records an audit
   * event `suppression.set` (on `fingerprint`, when given) in the same write. A suppression whose
   * `at` is older than the stored one's changes nothing and records nothing. Throws `RangeError`
   * for an empty key or one longer than 512 characters.
   */
  suppress(suppression: Suppression): Promise<void>;
  /**
   * The suppression of `key` in force at `at` (until > at), if any. A key that could never be
   * stored (empty, too long) has none.
   */
  activeSuppression(key: string, at: Date): Promise<Suppression | undefined>;

  /**
   * Records a smoke run. The same run again changes nothing; throws `LedgerConflictError` when its
   * runId is stored with other values, `RangeError` for a runId not of 12 lowercase hexadecimal digits.
   */
  recordSmokeRun(run: SmokeRun): Promise<void>;
  /** The smoke run `runId`, expired or not (the caller compares `expiresAt`); read strongly consistent. */
  smokeRun(runId: string): Promise<SmokeRun | undefined>;

  appendAudit(event: AuditEvent): Promise<void>;
  /** Audit trail of one finding, oldest first. */
  auditTrail(fingerprint: string): Promise<StoredAuditEvent[]>;

  close(): Promise<void>;
}
