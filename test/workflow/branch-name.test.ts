/** Branch names come from control ids, which come from findings: whatever they say, the name is a valid git branch. */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { branchName } from '../../src/workflow/summary.js';

const valid = (name: string): boolean => {
  try {
    execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe('branchName', () => {
  it('names S3.8 plainly', () => {
    expect(branchName({ controlId: 'S3.8', source: 'securityhub', fingerprint: '0123456789abcdef' })).toBe('cloudmend/s3.8-01234567');
  });

  it.each(['S3..8', '.hidden', '-x', 'a.lock', '...', '', 'EC2.19.', '@{x}', 'a/../b'])('makes a valid branch of %j', (controlId) => {
    expect(valid(branchName({ controlId, source: 'securityhub', fingerprint: 'fedcba9876543210' }))).toBe(true);
  });

  it('makes a valid branch of any control id', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (controlId) => valid(branchName({ controlId, source: 'securityhub', fingerprint: 'fedcba9876543210' }))),
      { numRuns: 60 },
    );
  });
});
