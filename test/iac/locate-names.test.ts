import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { locate, type LocateRepository } from '../../src/iac/locate.js';
import { ACCOUNT, asffFinding, importedEvent } from '../support/events.js';
import { GOAT_FILES } from '../support/goat-terraform.js';
import { writeTree } from '../support/tree.js';

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cloudmend-goat-'));
  writeTree(root, GOAT_FILES);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An S3 bucket finding as Security Hub sends it: the bucket's ARN, no tags added. */
function bucketFinding(name: string, overrides: Record<string, unknown> = {}): Finding {
  const resource = { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${name}`, Partition: 'aws', Region: 'us-east-1' };
  const f = normalizeEvent(importedEvent([asffFinding({ Resources: [resource], ...overrides })])).findings[0];
  if (!f) throw new Error('no finding');
  return f;
}

const repo = (): LocateRepository => ({ name: 'goat', root, iac: 'terraform' });

describe('locate names built from data sources, object locals and templates', () => {
  it.each([
    [`${ACCOUNT}-acme-dev-data`, 'aws_s3_bucket.data'],
    [`${ACCOUNT}-acme-dev-logs`, 'aws_s3_bucket.logs'],
    ['acme-us-east-1-aws-assets', 'aws_s3_bucket.assets'],
    ['staging-data-reports', 'aws_s3_bucket.reports'],
    [`${ACCOUNT}-acme-dev-backups`, 'aws_s3_bucket.backups'],
    [`${ACCOUNT}-ACME-archive`, 'aws_s3_bucket.archive'],
  ])('locates %s to %s', async (name, address) => {
    const result = await locate(bucketFinding(name), repo());
    expect(result).toMatchObject({ found: true, target: { file: 'terraform/aws/s3.tf', address, strategy: 'name' } });
  });

  it('reads the account and region from the finding: the same code deployed in another account or region matches there', async () => {
    const other = { AwsAccountId: '444455556666', Region: 'eu-west-1' };
    const data = await locate(bucketFinding('444455556666-acme-dev-data', other), repo());
    expect(data).toMatchObject({ found: true, target: { address: 'aws_s3_bucket.data' } });
    const assets = await locate(
      bucketFinding('acme-eu-west-1-aws-assets', {
        ...other,
        Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-eu-west-1-aws-assets', Partition: 'aws', Region: 'eu-west-1' }],
      }),
      repo(),
    );
    expect(assets).toMatchObject({ found: true, target: { address: 'aws_s3_bucket.assets' } });
  });

  it("does not match another account's finding on a name that holds this account's id", async () => {
    const result = await locate(bucketFinding(`${ACCOUNT}-acme-dev-data`, { AwsAccountId: '444455556666' }), repo());
    expect(result.found).toBe(false);
    expect(result.tried.join('\n')).toMatch(/no match/);
  });

  it.each([
    ['a resource on an aliased provider', `${ACCOUNT}-acme-dev-replica`],
    ['a data source read through an aliased provider', `${ACCOUNT}-acme-shared`],
    ['a variable without a default', `${ACCOUNT}-acme-owned`],
  ])('never guesses what the finding does not tell: %s', async (_, name) => {
    const result = await locate(bucketFinding(name), repo());
    expect(result.found).toBe(false);
  });

  it('takes variables from terraform.tfvars over their defaults, as Terraform does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudmend-goat-vars-'));
    for (const [path, text] of Object.entries(GOAT_FILES)) writeFileSync(join(dir, path.split('/').pop() ?? path), text);
    writeFileSync(join(dir, 'terraform.tfvars'), 'environment = "prod"\n');
    const vars = { name: 'goat', root: dir, iac: 'terraform' } as const;
    const prod = await locate(bucketFinding(`${ACCOUNT}-acme-prod-data`), vars);
    const dev = await locate(bucketFinding(`${ACCOUNT}-acme-dev-data`), vars);
    rmSync(dir, { recursive: true, force: true });
    expect(prod).toMatchObject({ found: true, target: { address: 'aws_s3_bucket.data', files: ['consts.tf', 's3.tf'] } });
    expect(dev.found).toBe(false);
  });
});
