/**
 * The finding state machine. Pure data and functions: adapters validate every write with
 * `canTransition`, and the workflow reads the same tables to decide what to do next.
 */

export const FINDING_STATES = [
  /** Taken by a run that is now working on it. */
  'claimed',
  /** The infrastructure-as-code that defines the resource was found. */
  'located',
  /** No infrastructure-as-code defines the resource; nothing to patch. */
  'no_target',
  /** A patch was produced for the located code. */
  'patched',
  /** The located code was found but no skill could produce a fix. */
  'no_fix',
  /** A drift comparison found the code and the live resource in agreement. */
  'in_sync',
  /** No skill covers the control and no model is configured; a later run with a model may take it. */
  'needs_model',
  /** Recorded for visibility only (observe mode): no change proposed. */
  'observed',
  /** A fix was suggested to a human instead of being opened as a pull request. */
  'recommended',
  /** A policy stopped the patch from going further. */
  'blocked',
  /** Waiting for a human to approve opening the pull request. */
  'awaiting_approval',
  /** A human approved the patch; the pull request is about to be opened. */
  'approved',
  /** A human rejected the patch. */
  'rejected',
  /** Nobody decided before the approval deadline. */
  'expired',
  /** The pull request is open: cloudmend's work on this finding is done. */
  'pr_opened',
  /** Seen and deliberately not acted on (see the reason); a later run may claim it. */
  'skipped',
  /** Something went wrong (see the reason); a later run may claim it again. */
  'failed',
] as const;

export type FindingState = (typeof FINDING_STATES)[number];

/** States that a finding leaves only through a new claim, if at all. */
export const TERMINAL_STATES = [
  'no_target',
  'no_fix',
  'in_sync',
  'needs_model',
  'observed',
  'recommended',
  'blocked',
  'rejected',
  'expired',
  'pr_opened',
  'skipped',
  'failed',
] as const satisfies readonly FindingState[];

/** The states a run is working in (or waiting in, for a person): every state that is not terminal. */
export const IN_FLIGHT_STATES = [
  'claimed',
  'located',
  'patched',
  'awaiting_approval',
  'approved',
] as const satisfies readonly FindingState[];

/** Terminal states that `claim` (and `recordSkip`) may overwrite: the finding deserves another try. */
export const RECLAIMABLE_STATES = ['skipped', 'failed', 'needs_model'] as const satisfies readonly FindingState[];

/** The moves `transition` may make; claims and skips are not transitions. */
const NEXT: Readonly<Record<FindingState, readonly FindingState[]>> = {
  // skipped: the run must not act (a person wrote on the pull request's branch that would take it).
  claimed: ['located', 'no_target', 'observed', 'skipped', 'failed'],
  // recommended: a skill knows the problem but only a person can fix it (a suggestion, no patch).
  // no_target: a CDK app is located from its cdk.json; its construct only when the sandbox synthesizes it.
  located: ['patched', 'no_fix', 'in_sync', 'needs_model', 'recommended', 'no_target', 'failed'],
  patched: ['observed', 'recommended', 'blocked', 'awaiting_approval', 'pr_opened', 'failed'],
  // patched: the request could not be sent, and is asked again.
  awaiting_approval: ['approved', 'rejected', 'expired', 'patched', 'failed'],
  approved: ['pr_opened', 'failed'],
  no_target: [],
  no_fix: [],
  in_sync: [],
  needs_model: [],
  observed: [],
  recommended: [],
  blocked: [],
  rejected: [],
  expired: [],
  pr_opened: [],
  skipped: [],
  failed: [],
};

/** True when `transition` may move a finding from `from` to `to`. */
export function canTransition(from: FindingState, to: FindingState): boolean {
  return NEXT[from].includes(to);
}

/** True for a state a finding leaves only through a new claim (`TERMINAL_STATES`). */
export function isTerminal(state: FindingState): boolean {
  return (TERMINAL_STATES as readonly FindingState[]).includes(state);
}

/** True for `skipped`, `failed` and `needs_model`: states a new claim may take over. */
export function isReclaimable(state: FindingState): boolean {
  return (RECLAIMABLE_STATES as readonly FindingState[]).includes(state);
}

/** True when `value` is one of `FINDING_STATES` (for rows read back from storage). */
export function isFindingState(value: string): value is FindingState {
  return (FINDING_STATES as readonly string[]).includes(value);
}
