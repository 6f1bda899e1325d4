/** The smoke finding's run id is read from its resource only, and only from an exact smoke bucket. */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { smokeFinding, smokeRunIdOf } from '../../src/smoke/finding.js';

const RUN = '0123456789ab';
const finding = (): Finding => {
  const { event } = smokeFinding(RUN, { owns: { accounts: ['111122223333'] } }, new Date('2026-01-01T00:00:00Z'));
  return normalizeEvent(event).findings[0]!;
};
const withResource = (resource: Partial<Finding['resource']>): Finding => ({
  ...finding(),
  resource: { ...finding().resource, ...resource },
});

describe('smokeRunIdOf', () => {
  it('reads the run id of a smoke finding from its bucket', () => {
    expect(smokeRunIdOf(finding())).toBe(RUN);
  });

  it.each([
    ['another bucket', { id: 'arn:aws:s3:::acme-logs', arn: 'arn:aws:s3:::acme-logs', name: 'acme-logs' }],
    ['the smoke bucket with a suffix', { id: `arn:aws:s3:::cloudmend-smoke-${RUN}x`, arn: undefined, name: undefined }],
    ['an upper-case run id', { id: 'arn:aws:s3:::cloudmend-smoke-0123456789AB', arn: undefined, name: undefined }],
    ['the smoke ARN with another bucket name', { name: 'acme-logs' }],
    ['another partition', { id: `arn:aws-cn:s3:::cloudmend-smoke-${RUN}`, arn: undefined, name: undefined }],
  ])('is undefined for %s', (_, resource) => {
    expect(smokeRunIdOf(withResource(resource))).toBeUndefined();
  });
});
