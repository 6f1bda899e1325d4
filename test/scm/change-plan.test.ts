/** One change per resource: the decision for each resource, and the writes a work item makes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, planChanges, type OpenChange, type ResourceAction, type ResourceState } from '../../src/scm/change-plan.js';
import type { BranchOwner, PullRequestStatus } from '../../src/scm/port.js';

const OWNER: BranchOwner = { kind: 'finding', id: 'fp-1' };
const change = (n: number, owner: BranchOwner = OWNER): OpenChange => ({
  pullRequestId: `github:acme/infra#${n}`,
  branch: `cloudmend/c${n}`,
  owner,
});
const open = (baseMoved = false, owner: BranchOwner = OWNER): PullRequestStatus => ({
  state: 'open',
  head: 'h',
  owner,
  baseMoved,
});

/** Open, its last commit a person's (no trailer). */
const PERSONAL: PullRequestStatus = { state: 'open', head: 'h', owner: undefined, baseMoved: false };

describe('decide', () => {
  it.each<[string, ResourceState, ResourceAction]>([
    ['no open change', { resource: 'r' }, 'new'],
    ['an open pull request on the default head', { resource: 'r', change: change(1), status: open() }, 'update'],
    ['an open pull request whose base moved', { resource: 'r', change: change(1), status: open(true) }, 'rebase'],
    [
      'a pull request closed unmerged',
      { resource: 'r', change: change(1), status: { state: 'closed', baseMoved: false } },
      'retire-and-new',
    ],
    ['a branch gone', { resource: 'r', change: change(1), status: { state: 'missing', baseMoved: false } }, 'retire-and-new'],
    [
      'a merged pull request',
      { resource: 'r', change: change(1), status: { state: 'merged', head: 'h', owner: OWNER, baseMoved: false } },
      'merged',
    ],
    ['a branch a person wrote last', { resource: 'r', change: change(1), status: PERSONAL }, 'held'],
    ['a branch another owner wrote last', { resource: 'r', change: change(1), status: open(true, { kind: 'batch', id: 'b' }) }, 'held'],
  ])('%s', (_name, state, action) => {
    expect(decide(state)).toMatchObject({ resource: 'r', action });
    expect(decide(state).reason).not.toBe('');
  });

  it('refuses a change without its status', () => {
    expect(() => decide({ resource: 'r', change: change(1) })).toThrow(/needs its pull request's status/);
  });
});

describe('planChanges', () => {
  it('writes a work item onto the open change of its resources, and everything else into one new change', () => {
    const plan = planChanges([
      { resource: 'bucket', change: change(1), status: open() },
      { resource: 'policy', change: change(1), status: open() },
      { resource: 'group', change: change(2), status: { state: 'closed', baseMoved: false } },
      { resource: 'key', change: change(3), status: { state: 'merged', baseMoved: false } },
      { resource: 'table' },
    ]);
    expect(plan.writes).toEqual([
      { action: 'new', resources: ['group', 'table', 'key'], merged: ['key'] },
      { action: 'update', change: change(1), resources: ['bucket', 'policy'] },
    ]);
    expect(plan.retire).toEqual([change(2)]);
    expect(plan.merged).toEqual([change(3)]);
  });

  const STATUSES: readonly PullRequestStatus[] = [
    open(),
    open(true),
    PERSONAL,
    { state: 'closed', baseMoved: false },
    { state: 'missing', baseMoved: false },
    { state: 'merged', baseMoved: false },
  ];

  it('puts every resource in exactly one write (held ones in none), one write per open change, none to a retired or merged one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...STATUSES), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: -1, max: 3 }), { minLength: 1, maxLength: 8 }),
        (statuses, covering) => {
          // Resource i is covered by change covering[i] (when it exists), whose one status is statuses[n].
          const states: ResourceState[] = covering.map((n, i) =>
            n < 0 || n >= statuses.length ? { resource: `r${i}` } : { resource: `r${i}`, change: change(n), status: statuses[n] },
          );
          const plan = planChanges(states);
          const written = plan.writes.flatMap((w) => w.resources);
          const held = plan.resources.filter((r) => r.action === 'held').map((r) => r.resource);
          expect([...written, ...held].sort()).toEqual(states.map((s) => s.resource).sort());
          expect(new Set(written).size).toBe(written.length);
          const targets = plan.writes.flatMap((w) => (w.action === 'new' ? [] : [w.change.pullRequestId]));
          expect(new Set(targets).size).toBe(targets.length);
          const ended = new Set([...plan.retire, ...plan.merged].map((c) => c.pullRequestId));
          expect(targets.filter((t) => ended.has(t))).toEqual([]);
          for (const s of states) {
            const write = plan.writes.find((w) => w.resources.includes(s.resource));
            if (s.change === undefined) expect(write?.action).toBe('new');
            else if (s.status?.state === 'open' && s.status.owner !== undefined)
              expect(write).toMatchObject({ change: s.change, action: s.status.baseMoved ? 'rebase' : 'update' });
          }
          const endedBy = (state: string) => new Set(states.filter((s) => s.status?.state === state).map((s) => s.change!.pullRequestId));
          expect(new Set(plan.merged.map((c) => c.pullRequestId))).toEqual(endedBy('merged'));
          expect(new Set(plan.retire.map((c) => c.pullRequestId))).toEqual(new Set([...endedBy('closed'), ...endedBy('missing')]));
        },
      ),
      { numRuns: 200 },
    );
  });
});
