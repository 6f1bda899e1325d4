/**
 * One change per resource: what to do with a work item's resources, given the open change the
 * ledger has for each (`Ledger.openChangeFor`) and where its pull request stands
 * (`PullRequests.status`). Pure; the workflow carries it out.
 *
 * Per resource:
 * - `new`: no open change covers it. A new change (branch and pull request) is written.
 * - `update`: its pull request is open, on the current default head, and its branch's last commit is
 *   still the change's owner's. The item's findings join the change: the fixes of all of them (the
 *   change's `fingerprints` and the item's) are computed on the default head and written to that
 *   branch (`open` with its branch and owner: it writes the files over the default head, so a patch
 *   of the new findings alone would drop the earlier fixes), then `recordChange` adds the findings.
 * - `rebase`: as `update`, but the default branch moved since the branch was written: the same
 *   regeneration on the new default head (`open` makes that head a parent: forward, never forced),
 *   so the branch merges cleanly again.
 * - `retire-and-new`: its pull request was closed unmerged, or its branch is gone. That change is
 *   retired (`PullRequests.retire`: comment, close, delete the branch; `closeChange` as `closed`),
 *   and a new change is written for the resource, as for `new`.
 * - `merged`: its pull request was merged: the fix is on the default branch (`closeChange` as
 *   `merged`). A finding that still comes is drift or a fix not deployed yet. The resource joins
 *   the new change only to be checked on the new default head: no pull request opens unless the
 *   code there is non-compliant again, and the outcome names the merged pull request.
 * - `held`: its pull request is open but someone else wrote the branch's last commit. cloudmend
 *   never moves such a branch; the findings wait on that pull request, and say so.
 *
 * Resources that share one open change are written together onto it; every resource is in at
 * most one write, and no write goes to a change that is retired or merged.
 */
import type { BranchOwner, PullRequestStatus } from './port.js';

/** What the ledger knows of an open change (a `ChangeRecord` fits). */
export interface OpenChange {
  readonly pullRequestId: string;
  readonly branch: string;
  readonly owner: BranchOwner;
}

export interface ResourceState {
  /** The resource key (`resourceKeyOf`). */
  readonly resource: string;
  /** The open change covering it, if any. */
  readonly change?: OpenChange | undefined;
  /** Its pull request's status; required with `change`. */
  readonly status?: PullRequestStatus | undefined;
}

export type ResourceAction = 'new' | 'update' | 'rebase' | 'retire-and-new' | 'merged' | 'held';

export interface ResourcePlan {
  readonly resource: string;
  readonly action: ResourceAction;
  /** The open change the action is about (all but `new`). */
  readonly change?: OpenChange | undefined;
  /** One sentence for the ledger and the pull request. */
  readonly reason: string;
}

/** One pull request to write: a new change, or an open one to add to (`update`) or regenerate (`rebase`). */
export type ChangeWrite =
  | { readonly action: 'new'; readonly resources: readonly string[]; readonly merged: readonly string[] }
  | { readonly action: 'update' | 'rebase'; readonly change: OpenChange; readonly resources: readonly string[] };

export interface ChangePlan {
  readonly resources: readonly ResourcePlan[];
  /** At most one `new`, then one per open change written to. */
  readonly writes: readonly ChangeWrite[];
  /** Changes to retire before writing (closed unmerged, or branch gone), each once. */
  readonly retire: readonly OpenChange[];
  /** Changes whose pull request was merged: closed as `merged` in the ledger, each once. */
  readonly merged: readonly OpenChange[];
}

const sameOwner = (a: BranchOwner | undefined, b: BranchOwner): boolean => a?.kind === b.kind && a.id === b.id;

/** The action for one resource; see the module comment. */
export function decide(state: ResourceState): ResourcePlan {
  const { resource, change, status } = state;
  if (change === undefined) return { resource, action: 'new', reason: 'no open pull request covers it' };
  const pr = change.pullRequestId;
  if (status === undefined) throw new TypeError(`resource ${resource}: change ${pr} needs its pull request's status to be planned`);
  switch (status.state) {
    case 'merged':
      return {
        resource,
        action: 'merged',
        change,
        reason: `${pr} was merged: the fix is on the default branch (drift, or not deployed yet)`,
      };
    case 'closed':
      return { resource, action: 'retire-and-new', change, reason: `${pr} was closed unmerged: retired, and a new change opens` };
    case 'missing':
      return { resource, action: 'retire-and-new', change, reason: `the branch of ${pr} is gone: a new change opens` };
    case 'open':
      if (!sameOwner(status.owner, change.owner))
        return { resource, action: 'held', change, reason: `someone else wrote the last commit of ${pr}: it is left as it is` };
      return status.baseMoved
        ? { resource, action: 'rebase', change, reason: `the default branch moved: ${pr} is regenerated on its new head` }
        : { resource, action: 'update', change, reason: `${pr} is open: its branch gets these fixes` };
  }
}

/** The plan for a work item's resources; see the module comment. */
export function planChanges(states: readonly ResourceState[]): ChangePlan {
  const resources = states.map(decide);
  const fresh: string[] = [];
  const merged: string[] = [];
  const onto = new Map<string, { action: 'update' | 'rebase'; change: OpenChange; resources: string[] }>();
  const retire = new Map<string, OpenChange>();
  const closedMerged = new Map<string, OpenChange>();
  for (const plan of resources) {
    const change = plan.change;
    switch (plan.action) {
      case 'new':
        fresh.push(plan.resource);
        break;
      case 'retire-and-new':
        retire.set(change!.pullRequestId, change!);
        fresh.push(plan.resource);
        break;
      case 'merged':
        closedMerged.set(change!.pullRequestId, change!);
        merged.push(plan.resource);
        break;
      case 'update':
      case 'rebase': {
        const write = onto.get(change!.pullRequestId) ?? { action: plan.action, change: change!, resources: [] };
        // One status per change: a rebase of any of its resources rebases the branch.
        if (plan.action === 'rebase') write.action = 'rebase';
        write.resources.push(plan.resource);
        onto.set(change!.pullRequestId, write);
        break;
      }
      case 'held':
        break;
    }
  }
  const writes: ChangeWrite[] = [
    ...(fresh.length + merged.length > 0 ? [{ action: 'new' as const, resources: [...fresh, ...merged], merged }] : []),
    ...onto.values(),
  ];
  return { resources, writes, retire: [...retire.values()], merged: [...closedMerged.values()] };
}
