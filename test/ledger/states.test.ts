import { describe, expect, it } from 'vitest';
import {
  FINDING_STATES,
  IN_FLIGHT_STATES,
  RECLAIMABLE_STATES,
  TERMINAL_STATES,
  canTransition,
  isFindingState,
  isReclaimable,
} from '../../src/ledger/states.js';
import type { FindingState } from '../../src/ledger/states.js';

/** The state machine as specified, written out independently of the implementation's table. */
const ALLOWED: Record<FindingState, FindingState[]> = {
  claimed: ['located', 'no_target', 'observed', 'skipped', 'failed'],
  located: ['patched', 'no_fix', 'in_sync', 'needs_model', 'recommended', 'no_target', 'failed'],
  patched: ['observed', 'recommended', 'blocked', 'awaiting_approval', 'pr_opened', 'failed'],
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

describe('canTransition', () => {
  it.each(FINDING_STATES)('allows exactly the specified moves out of %s', (from) => {
    const allowed = FINDING_STATES.filter((to) => canTransition(from, to));
    expect(allowed.sort()).toEqual([...ALLOWED[from]].sort());
  });

  it('never moves into claimed, and into skipped only from claimed: the rest is claim and recordSkip', () => {
    for (const from of FINDING_STATES) {
      expect(canTransition(from, 'claimed')).toBe(false);
      expect(canTransition(from, 'skipped')).toBe(from === 'claimed');
    }
  });

  it('lets every state that has a way out also fail', () => {
    for (const from of FINDING_STATES.filter((state) => ALLOWED[state].length > 0)) {
      expect(canTransition(from, 'failed')).toBe(true);
    }
  });
});

describe('state sets', () => {
  it('lists each state once', () => {
    expect(new Set(FINDING_STATES).size).toBe(FINDING_STATES.length);
  });

  it('calls terminal exactly the states with no move out', () => {
    const noWayOut = FINDING_STATES.filter((state) => FINDING_STATES.every((to) => !canTransition(state, to)));
    expect([...TERMINAL_STATES].sort()).toEqual(noWayOut.sort());
  });

  it('calls in flight exactly the states that are not terminal', () => {
    expect([...IN_FLIGHT_STATES].sort()).toEqual(
      FINDING_STATES.filter((state) => !(TERMINAL_STATES as readonly string[]).includes(state)).sort(),
    );
  });

  it('makes only skipped, failed and needs_model reclaimable, all terminal', () => {
    expect(RECLAIMABLE_STATES).toEqual(['skipped', 'failed', 'needs_model']);
    expect(FINDING_STATES.filter(isReclaimable).sort()).toEqual(['failed', 'needs_model', 'skipped']);
    for (const state of RECLAIMABLE_STATES) expect(TERMINAL_STATES).toContain(state);
  });

  it.each([
    ['claimed', true],
    ['pr_opened', true],
    ['merged', false],
    ['', false],
    ['CLAIMED', false],
  ])('isFindingState(%j) is %s', (value, expected) => {
    expect(isFindingState(value)).toBe(expected);
  });
});
