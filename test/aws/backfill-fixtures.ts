/** Security Hub findings as GetFindings returns them, numbered, for the backfill tests. */
import { parseConfig } from '../../src/config/load.js';
import { ACCOUNT, REGION, asffFinding } from '../support/events.js';

export { ACCOUNT, REGION };

export const CONFIG = parseConfig(
  `
version: 1
repositories:
  - name: infra
    location: acme/infra
    provider: github
    iac: terraform
    owns: { accounts: ["${ACCOUNT}"] }
`,
  'cloudmend.config.yaml',
);

export const NOW = new Date('2026-11-21T06:00:00.000Z');

/** The id of finding `i`; fixed width, so every numbered finding has the same JSON size. */
export const findingId = (i: number): string =>
  `arn:aws:securityhub:${REGION}:${ACCOUNT}:security-control/S3.8/finding/${String(i).padStart(6, '0')}`;

/** A new, failed, active HIGH S3.8 finding on bucket `acme-<i>`, last updated `updatedAt`. */
export function numberedFinding(
  i: number,
  updatedAt = '2026-11-20T09:14:03.512Z',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const name = `acme-${String(i).padStart(6, '0')}`;
  return asffFinding({
    Id: findingId(i),
    UpdatedAt: updatedAt,
    Resources: [
      { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${name}`, Partition: 'aws', Region: REGION, Details: { AwsS3Bucket: { Name: name } } },
    ],
    ...extra,
  });
}

/** Findings `0..count-1`. */
export const numberedFindings = (count: number, from = 0): Record<string, unknown>[] =>
  Array.from({ length: count }, (_, i) => numberedFinding(from + i));

/** The size backfillBatches measures a finding by. */
export const bytesOf = (finding: unknown): number => Buffer.byteLength(JSON.stringify(finding));

/** The ids in a generated event. */
export const idsOf = (event: Record<string, unknown>): string[] =>
  (event.detail as { findings: { Id: string }[] }).findings.map((f) => f.Id);
