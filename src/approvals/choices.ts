/**
 * Which decisions an approval accepts, for every surface that decides one (CLI, console, Slack,
 * `--approve auto|reject`): approve or reject a plain approval; codify, revert or ignore a drift
 * decision, without codify when cloudmend cannot write the live values into the code. Each surface
 * refuses any other action before anything is recorded.
 */
import type { ArtifactReader } from '../artifacts/port.js';
import type { Ledger, StoredAuditEvent } from '../ledger/port.js';
import { latestRecorded } from '../workflow/finding-reads.js';
import type { Patch } from '../workflow/types.js';
import type { DriftChoice } from './blocks.js';

/** What each action records: codify approves (a pull request); revert and ignore decline it. */
export const ACTIONS = {
  approve: { decision: 'approved' },
  reject: { decision: 'rejected' },
  codify: { decision: 'approved', choice: 'codify' },
  revert: { decision: 'rejected', choice: 'revert' },
  ignore: { decision: 'rejected', choice: 'ignore' },
} as const satisfies Record<string, { decision: 'approved' | 'rejected'; choice?: DriftChoice }>;
export type ApprovalAction = keyof typeof ACTIONS;
export const isApprovalAction = (value: string): value is ApprovalAction => Object.hasOwn(ACTIONS, value);

/** The action a decision and drift choice stand for (a Slack click, `--approve`). */
export const actionOf = (decision: 'approved' | 'rejected', choice: DriftChoice | undefined): ApprovalAction =>
  choice ?? (decision === 'approved' ? 'approve' : 'reject');

export interface AcceptedActions {
  /** A drift decision rather than a plain approval. */
  readonly drift: boolean;
  readonly actions: readonly ApprovalAction[];
}

/** The finding's newest patch (the artifact its trail recorded last), if it has one; throws when it cannot be read. */
export async function storedPatch(artifacts: ArtifactReader, trail: readonly StoredAuditEvent[]): Promise<Patch | undefined> {
  const artifact = latestRecorded(trail, 'artifact');
  return artifact === undefined ? undefined : artifacts.get<Patch>(artifact);
}

/** The actions an approval of `patch` accepts (a stored patch, or the approval request made of it). */
export function actionsFor(patch: { readonly drift?: { readonly codify?: boolean | undefined } | undefined } | undefined): AcceptedActions {
  if (patch?.drift === undefined) return { drift: false, actions: ['approve', 'reject'] };
  return { drift: true, actions: patch.drift.codify === false ? ['revert', 'ignore'] : ['codify', 'revert', 'ignore'] };
}

/**
 * The actions the approval of the finding `fingerprint` accepts, from its stored patch. Fails
 * closed: a patch that cannot be read throws, and nothing is decided.
 */
export async function acceptedActions(ledger: Ledger, artifacts: ArtifactReader, fingerprint: string): Promise<AcceptedActions> {
  return actionsFor(await storedPatch(artifacts, await ledger.auditTrail(fingerprint)));
}

/** Why `action` is refused, naming the accepted ones; undefined when it is accepted. */
export function refusalOf(id: string, accepted: AcceptedActions, action: ApprovalAction): string | undefined {
  if (accepted.actions.includes(action)) return undefined;
  const kind = accepted.drift ? 'a drift decision' : 'an approval';
  const why = accepted.drift && action === 'codify' ? ' (cloudmend cannot write these live values into the code: write them by hand)' : '';
  return `${id} is ${kind} that accepts ${accepted.actions.join(', ')}, not ${action}${why}`;
}
