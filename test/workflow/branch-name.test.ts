/**
 * Branch names come from control ids, which come from findings: whatever they say, the name is a
 * valid git branch, and it keeps 64 bits of the fingerprint (or batch id) it belongs to.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { branchName } from '../../src/workflow/summary.js';

/** The names `git check-ref-format --branch` refuses; one shell runs git for every name. */
function invalidNames(names: readonly string[]): string[] {
  const script = 'while IFS= read -r n; do git check-ref-format --branch "$n" >/dev/null 2>&1 || printf "%s\\n" "$n"; done';
  const out = execFileSync('sh', ['-c', script], { input: `${names.join('\n')}\n`, encoding: 'utf8' });
  return out.split('\n').filter((line) => line !== '');
}

const FP = 'fedcba9876543210fedcba9876543210';
const NAME = /^cloudmend\/[a-z0-9][a-z0-9.-]{0,63}-(batch-)?[0-9a-f]{16}$/;

describe('branchName', () => {
  it('names S3.8 plainly, with the first 16 hex characters of the fingerprint', () => {
    expect(branchName({ controlId: 'S3.8', source: 'securityhub', fingerprint: '0123456789abcdef0123456789abcdef' })).toBe(
      'cloudmend/s3.8-0123456789abcdef',
    );
  });

  it('names a batch by the first 16 hex characters of its id', () => {
    expect(branchName({ controlId: 'S3.8', source: 'securityhub', fingerprint: FP }, '0f1e2d3c4b5a69788796a5b4c3d2e1f0')).toBe(
      'cloudmend/s3.8-batch-0f1e2d3c4b5a6978',
    );
  });

  it('tells apart fingerprints and batch ids that differ only after their first 32 bits', () => {
    const finding = { controlId: 'S3.8', source: 'securityhub' as const };
    expect(branchName({ ...finding, fingerprint: '1a2b3c4d00000000' })).not.toBe(
      branchName({ ...finding, fingerprint: '1a2b3c4d11111111' }),
    );
    expect(branchName({ ...finding, fingerprint: FP }, '1a2b3c4d00000000')).not.toBe(
      branchName({ ...finding, fingerprint: FP }, '1a2b3c4d11111111'),
    );
  });

  it('keeps 64 bits of a batch id that is not hex, taken from all of it', () => {
    const finding = { controlId: 'S3.8', source: 'securityhub' as const, fingerprint: FP };
    const a = branchName(finding, 'batch of Tuesday: acme/infra 1');
    const b = branchName(finding, 'batch of Tuesday: acme/infra 2');
    expect(a).toMatch(/^cloudmend\/s3\.8-batch-[0-9a-f]{16}$/);
    expect(a).not.toBe(b);
  });

  it('makes valid branches of awkward control ids', () => {
    const names = ['S3..8', '.hidden', '-x', 'a.lock', '...', '', 'EC2.19.', '@{x}', 'a/../b'].map((controlId) =>
      branchName({ controlId, source: 'securityhub', fingerprint: FP }),
    );
    expect(invalidNames(names)).toEqual([]);
    expect(invalidNames(['cloudmend/a..b', 'cloudmend/ok'])).toEqual(['cloudmend/a..b']);
  });

  it('makes a valid branch of at most 97 characters, ending in 64 bits, of any control id and batch id', () => {
    const names: string[] = [];
    fc.assert(
      fc.property(
        fc.string({ maxLength: 120 }),
        fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
        fc.stringMatching(/^[0-9a-f]{32}$/),
        (controlId, batchId, fingerprint) => {
          const name = branchName({ controlId, source: 'securityhub', fingerprint }, batchId);
          names.push(name);
          return NAME.test(name) && name.length <= 97 && (batchId !== undefined || name.endsWith(`-${fingerprint.slice(0, 16)}`));
        },
      ),
      { numRuns: 200 },
    );
    expect(invalidNames(names)).toEqual([]);
  });
});
