/**
 * Fingerprints are stored in every ledger and name branches: the same parts must give the same
 * fingerprint in every release, whatever computes the hash.
 */
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/findings/fingerprint.js';

describe('fingerprintOf', () => {
  it.each([
    [
      { partition: 'aws', account: '111122223333', region: 'us-east-1', subject: 'S3.8', resource: 'arn:aws:s3:::acme-logs' },
      '62f8a57d3cc02503068d1e7fd44e26be',
    ],
    [
      { partition: 'aws-cn', account: '444455556666', region: 'cn-north-1', subject: 'finding:x', resource: 'AWS::::Account:444455556666' },
      'a95dded4770b238dca2186f8bb7270e4',
    ],
    [
      {
        partition: 'aws',
        account: '111122223333',
        region: 'eu-west-1',
        subject: 'EC2.19',
        resource: 'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0fedcba9876543210 ü ✓ \u2028',
      },
      '61723d83deac002e4cb17e941324c71a',
    ],
  ])('gives the fingerprint earlier releases stored for %o', (parts, expected) => {
    expect(fingerprintOf(parts)).toBe(expected);
  });
});
