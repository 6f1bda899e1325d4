import { describe, expect, it } from 'vitest';
import { CloudmendError, isUserFacing } from '../../src/errors.js';
import {
  InvalidTransitionError,
  LedgerClosedError,
  LedgerConflictError,
  LedgerNotFoundError,
  LedgerUnavailableError,
} from '../../src/ledger/errors.js';
import type { FindingRecord } from '../../src/ledger/port.js';
import { T0, summary } from './ledger-helpers.js';

describe('ledger errors', () => {
  it.each<[Error, string, boolean]>([
    [new LedgerConflictError('moved'), 'LedgerConflictError', false],
    [new InvalidTransitionError(['claimed'], 'pr_opened'), 'InvalidTransitionError', false],
    [new LedgerNotFoundError('fp'), 'LedgerNotFoundError', false],
    [new LedgerUnavailableError('locked'), 'LedgerUnavailableError', true],
    [new LedgerClosedError('closed'), 'LedgerClosedError', false],
  ])('%s is a CloudmendError named %s, user-facing: %s', (error, name, userFacing) => {
    expect(error).toBeInstanceOf(CloudmendError);
    expect(error.name).toBe(name);
    expect(isUserFacing(error)).toBe(userFacing);
  });

  it('carries the current record and state of a conflict', () => {
    const record: FindingRecord = {
      fingerprint: 'fp',
      state: 'located',
      version: 2,
      attempts: 1,
      summary,
      createdAt: T0,
      updatedAt: T0,
      updatedBy: 'a',
    };
    const error = new LedgerConflictError('moved', { fingerprint: 'fp', record });
    expect(error.record).toBe(record);
    expect(error.currentState).toBe('located');
    expect(error.fingerprint).toBe('fp');
  });

  it.each([
    [['claimed'], 'pr_opened', 'fp', 'cannot move finding fp from claimed to pr_opened'],
    [['claimed', 'patched'], 'located', undefined, 'cannot move a finding from claimed or patched to located'],
    [[], 'failed', undefined, 'cannot move a finding from (no state) to failed'],
  ] as const)('explains an invalid move from %j to %s', (from, to, fingerprint, message) => {
    const error = new InvalidTransitionError(from, to, fingerprint === undefined ? {} : { fingerprint });
    expect(error.message).toBe(message);
    expect(error.from).toEqual(from);
    expect(error.to).toBe(to);
  });
});
