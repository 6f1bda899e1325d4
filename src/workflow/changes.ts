/**
 * One change per resource, as Claim and OpenPullRequest carry it out (the rules: src/scm/change-plan.ts).
 *
 * Claim looks up the open change (pull request) of each resource the work item's findings are on.
 * When one is open, the item writes to its branch: the change's findings join the item (put back
 * to work in the ledger) so that ApplySkill fixes them again together with the new ones, on the
 * default branch's head — an update and a rebase are the same regeneration, and a branch is never
 * written from a stale base. A pull request closed unmerged, or whose branch is gone, is retired
 * and its findings join a new change; a merged one is closed in the ledger, and a finding that
 * still comes is fixed again only if the code on the default branch still needs it. Open changes
 * of other resources of the item are folded into the one it writes, and retired once it is
 * written. A branch someone else wrote on is never moved: its resources' new findings are skipped,
 * saying why.
 */
import { resourceKeyOf } from '../findings/resource-identity.js';
import { InvalidTransitionError, LedgerConflictError, LedgerNotFoundError } from '../ledger/errors.js';
import type { ChangeRecord } from '../ledger/port.js';
import { planChanges, type OpenChange, type ResourceState } from '../scm/change-plan.js';
import type { BranchOwner } from '../scm/port.js';
import type { TaskContext } from './context.js';
import { repositoryNamed } from './item.js';
import { repositoryOf } from './repository.js';
import { carried, storedList } from './stored.js';
import { summaryOf } from './summary.js';
import type { ItemChange, ItemFinding, Settled } from './types.js';

/** What Claim adds to its output. */
export interface JoinedChanges {
  readonly change?: ItemChange | undefined;
  /** Findings of open changes that joined the item, and findings it already held that were put back to work. */
  readonly joined: readonly ItemFinding[];
  readonly reclaimed: readonly string[];
  /** Open changes folded into the item's: retired once it is written. */
  readonly supersedes: readonly OpenChange[];
  /** New findings that must wait (a person's commit on their change's branch, or a change that cannot be regenerated). */
  readonly held: readonly Settled[];
}

const NONE: JoinedChanges = { joined: [], reclaimed: [], supersedes: [], held: [] };

/**
 * Joins the work item to the open changes of its resources. `claimed`: the item's findings this
 * run claimed; `pullRequestOpened`: those it did not because their pull request is already open.
 */
export async function joinChanges(
  ctx: TaskContext,
  claimed: readonly ItemFinding[],
  pullRequestOpened: readonly ItemFinding[],
): Promise<JoinedChanges> {
  const routed = [...claimed, ...pullRequestOpened].find((i) => repositoryNamed(i) !== undefined);
  if (routed === undefined) return NONE;
  const repo = repositoryOf(ctx, routed);
  // Each resource of the item, with the findings this run claimed on it (none: only findings whose pull request is open).
  const fresh = new Map<string, ItemFinding[]>(pullRequestOpened.map((i) => [resourceKeyOf(i.finding), []]));
  for (const i of claimed) fresh.set(resourceKeyOf(i.finding), [...(fresh.get(resourceKeyOf(i.finding)) ?? []), i]);

  const states: ResourceState[] = [];
  const records = new Map<string, ChangeRecord>();
  for (const [resource, claimedOn] of fresh) {
    const change = await ctx.ledger.openChangeFor(repo.name, resource);
    if (change === undefined) {
      if (claimedOn.length > 0) states.push({ resource });
      continue;
    }
    const status = await ctx.pullRequests.status({ repository: repo.name, branch: change.branch, base: repo.defaultBranch });
    // An open pull request on the current default head already holds the fix of a finding that comes again.
    if (claimedOn.length === 0 && status.state === 'open' && !status.baseMoved) continue;
    records.set(change.pullRequestId, change);
    states.push({ resource, change, status });
  }
  if (states.length === 0) return NONE;
  const plan = planChanges(states);
  const at = ctx.now();
  for (const change of plan.merged) await ctx.ledger.closeChange({ pullRequestId: change.pullRequestId, state: 'merged', at });
  for (const change of plan.retire) {
    const reason = plan.resources.find((r) => r.change?.pullRequestId === change.pullRequestId)?.reason ?? 'retired';
    await ctx.pullRequests.retire({ repository: repo.name, branch: change.branch, owner: change.owner, reason });
    await ctx.ledger.closeChange({ pullRequestId: change.pullRequestId, state: 'closed', at });
  }

  const held: Settled[] = [];
  const heldPlans = plan.resources.filter((r) => r.action === 'held');
  for (const { resource, reason } of heldPlans)
    for (const { finding } of fresh.get(resource) ?? [])
      held.push({ fingerprint: finding.fingerprint, status: 'skipped', reason: `${reason}: merge or close it, then report again` });

  // The changes written again: their findings join the item (those of a retired one too: its pull request is gone).
  const onto = plan.writes.flatMap((w) => (w.action === 'new' ? [] : [w]));
  const joined: ItemFinding[] = [];
  const inItem = new Set([...claimed, ...pullRequestOpened].map((i) => i.finding.fingerprint));
  const unreadable = new Set<string>();
  for (const change of [...onto.map((w) => w.change), ...plan.retire]) {
    const key = records.get(change.pullRequestId)?.findings;
    const findings = key === undefined ? undefined : await carried<ItemFinding>(ctx.artifacts, key).catch(() => undefined);
    if (findings === undefined) {
      unreadable.add(change.pullRequestId);
      continue;
    }
    for (const i of findings.filter((f) => !inItem.has(f.finding.fingerprint))) {
      inItem.add(i.finding.fingerprint);
      joined.push(i);
    }
  }
  // An open change whose findings are gone cannot be written again whole: what would join it waits.
  const writable = onto.filter((w) => !unreadable.has(w.change.pullRequestId));
  for (const w of onto.filter((x) => unreadable.has(x.change.pullRequestId))) {
    const reason = `${w.change.pullRequestId} cannot be written again: its findings are no longer in the artifact store (kept as long as the artifact retention); merge or close it, and the next report opens a new change`;
    for (const resource of w.resources)
      for (const { finding } of fresh.get(resource) ?? []) held.push({ fingerprint: finding.fingerprint, status: 'skipped', reason });
  }
  // The item writes to the first open change; the others fold into it and are retired once it is written.
  const [primary, ...others] = writable;
  const waiting = new Set([
    ...heldPlans.map((r) => r.resource),
    ...onto.filter((w) => unreadable.has(w.change.pullRequestId)).flatMap((w) => w.resources),
  ]);
  const again = [...pullRequestOpened.filter((i) => !waiting.has(resourceKeyOf(i.finding))), ...joined];
  const reclaimed: string[] = [];
  for (const { finding } of again) {
    const reason = `its pull request is written again with the findings of ${claimed[0]?.finding.fingerprint ?? 'this run'}`;
    try {
      await ctx.ledger.retry({ fingerprint: finding.fingerprint, actor: ctx.actor, at, reason });
    } catch (error) {
      // In flight in another run (or gone): that run writes it.
      if (error instanceof InvalidTransitionError || error instanceof LedgerConflictError || error instanceof LedgerNotFoundError) continue;
      throw error;
    }
    const taken = await ctx.ledger.claim({ fingerprint: finding.fingerprint, summary: summaryOf(finding), actor: ctx.actor, at });
    if (taken.claimed) reclaimed.push(finding.fingerprint);
  }
  return {
    change: primary && { ...primary.change, action: primary.action },
    joined: joined.filter((i) => reclaimed.includes(i.finding.fingerprint)),
    reclaimed,
    supersedes: others.map((w) => w.change),
    held,
  };
}

/** Records the change the item wrote: its resources, findings, and the findings themselves for the next update. */
export async function recordItemChange(
  ctx: TaskContext,
  input: { readonly repository: string; readonly pullRequestId: string; readonly branch: string; readonly owner: BranchOwner },
  fixed: readonly ItemFinding[],
  supersedes: readonly OpenChange[],
): Promise<void> {
  const at = ctx.now();
  for (const change of supersedes) {
    const reason = `superseded by ${input.pullRequestId}, which now fixes its findings too`;
    await ctx.pullRequests.retire({ repository: input.repository, branch: change.branch, owner: change.owner, reason });
    await ctx.ledger.closeChange({ pullRequestId: change.pullRequestId, state: 'closed', at });
  }
  await ctx.ledger.recordChange({
    ...input,
    resources: [...new Set(fixed.map((i) => resourceKeyOf(i.finding)))],
    fingerprints: fixed.map((i) => i.finding.fingerprint),
    findings: await storedList(
      ctx.artifacts,
      'findings',
      fixed.map(({ eventId, finding, decision }) => ({ eventId, finding, decision })),
    ),
    at,
  });
}
