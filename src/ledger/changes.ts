/**
 * Changes (one pull request per resource) as both ledger adapters keep them: one stored shape, and
 * the rules of recording and closing a change, written once. Each adapter stores the change under
 * its pull request id and, for each resource of an open change, a pointer from (repository,
 * resource) to that id: what `openChangeFor` reads, and what refuses a second open change.
 */
import { LedgerConflictError } from './errors.js';
import type { ChangeInput, ChangeRecord, CloseChangeInput } from './port.js';

/** A change as stored: as JSON beside its key in SQLite, as the item's attributes in DynamoDB. */
export type ChangeItem = Omit<ChangeRecord, 'createdAt' | 'updatedAt'> & {
  /** Increases by one with every write: what DynamoDB's compare-and-set conditions on. */
  readonly version: number;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  readonly updatedAt: string;
};

export function toChangeRecord(item: ChangeItem): ChangeRecord {
  return {
    pullRequestId: item.pullRequestId,
    repository: item.repository,
    branch: item.branch,
    state: item.state,
    owner: { kind: item.owner.kind, id: item.owner.id },
    resources: [...item.resources],
    fingerprints: [...item.fingerprints],
    ...(item.findings === undefined ? {} : { findings: item.findings }),
    createdAt: new Date(item.createdAt),
    updatedAt: new Date(item.updatedAt),
  };
}

const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])];

/**
 * The change after recording `input` over `current` (see `Ledger.recordChange`). `holders` maps each
 * of `input.resources` to the id of the open change that covers it now, when one does.
 */
export function recordedChange(current: ChangeItem | undefined, input: ChangeInput, holders: ReadonlyMap<string, string>): ChangeItem {
  const where = `repository "${input.repository}"`;
  if (input.resources.length === 0) throw new RangeError(`a change needs at least one resource (pull request ${input.pullRequestId})`);
  const taken = input.resources.filter((r) => (holders.get(r) ?? input.pullRequestId) !== input.pullRequestId);
  if (taken.length > 0) {
    const by = [...new Set(taken.map((r) => holders.get(r)))].join(', ');
    throw new LedgerConflictError(
      `cannot record pull request ${input.pullRequestId} for ${taken.join(', ')} of ${where}: ${by} covers it and is open; ` +
        'update that change, or retire or close it first',
    );
  }
  const open = current?.state === 'open' ? current : undefined;
  if (open !== undefined && (open.repository !== input.repository || open.branch !== input.branch || !sameOwner(open, input))) {
    throw new LedgerConflictError(
      `cannot record pull request ${input.pullRequestId} on branch "${input.branch}" of ${where} for ${input.owner.kind} ${input.owner.id}: ` +
        `it is open on branch "${open.branch}" of repository "${open.repository}" for ${open.owner.kind} ${open.owner.id}`,
    );
  }
  const at = input.at.toISOString();
  return {
    pullRequestId: input.pullRequestId,
    repository: input.repository,
    branch: input.branch,
    owner: { kind: input.owner.kind, id: input.owner.id },
    resources: union(open?.resources ?? [], input.resources),
    fingerprints: union(open?.fingerprints ?? [], input.fingerprints),
    ...((input.findings ?? open?.findings) === undefined ? {} : { findings: input.findings ?? open?.findings }),
    state: 'open',
    version: (current?.version ?? 0) + 1,
    createdAt: open?.createdAt ?? at,
    updatedAt: at,
  };
}

function sameOwner(item: ChangeItem, input: ChangeInput): boolean {
  return item.owner.kind === input.owner.kind && item.owner.id === input.owner.id;
}

/** The change closed as `input` says; a change closed already stays as it is (the same object). */
export function closedChange(current: ChangeItem, input: CloseChangeInput): ChangeItem {
  if (current.state !== 'open') return current;
  return { ...current, state: input.state, version: current.version + 1, updatedAt: input.at.toISOString() };
}
