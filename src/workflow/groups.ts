/**
 * Groups: a batch's findings of one repository and control run as one Map iteration, led by the
 * first (see src/triggers/batching.ts). Each is claimed, located and recorded on its own, in the
 * ledger as always; the fixes of all of them make one patch, one approval and one pull request.
 * A finding that leaves the group early (a duplicate, no code, nothing to fix) is settled with
 * its own outcome, which Record reports beside the group's. The group steps that need the
 * parsers and skills live with their tasks (Locate, ApplySkill), so lighter bundles stay light.
 */
import type { FindingState } from '../ledger/states.js';
import type { TaskContext } from './context.js';
import { groupItems } from './stored.js';
import { claimOne } from './tasks/claim.js';
import type { ClaimOutput, FindingItem, IterationState, MemberOutcome } from './types.js';

/** The fingerprints a step acts on: the patch's members, else this run's claims, else the finding. */
export function actingOn(state: IterationState): readonly string[] {
  return state.patch?.members ?? state.claim?.claimed ?? [state.finding.fingerprint];
}

/** Moves every finding in `fingerprints` from `from` to `to`. */
export async function transitionAll(
  ctx: TaskContext,
  fingerprints: readonly string[],
  from: FindingState | FindingState[],
  to: FindingState,
  extra: { reason?: string; data?: Record<string, unknown> } = {},
): Promise<void> {
  for (const fingerprint of fingerprints) await ctx.ledger.transition({ fingerprint, from, to, actor: ctx.actor, at: ctx.now(), ...extra });
}

export async function claimGroup(state: FindingItem, ctx: TaskContext): Promise<ClaimOutput> {
  const claimed: string[] = [];
  const settled: MemberOutcome[] = [];
  for (const item of await groupItems(state, ctx.artifacts)) {
    const out = await claimOne(item, ctx);
    if (out.status === 'claimed') claimed.push(item.finding.fingerprint);
    else settled.push({ fingerprint: item.finding.fingerprint, status: out.status, reason: out.reason ?? out.state });
  }
  const status = claimed.length > 0 ? 'claimed' : 'duplicate';
  return {
    status,
    state: status,
    reason: `${claimed.length} of ${claimed.length + settled.length} findings of batch ${state.group?.batchId ?? ''} claimed`,
    claimed,
    settled,
  };
}

/** Outcomes of the findings that left the group before the end, from every step that settled some. */
export function settledMembers(state: IterationState): readonly MemberOutcome[] {
  return [...(state.claim?.settled ?? []), ...(state.target?.settled ?? []), ...(state.patch?.settled ?? [])];
}
