/**
 * Very large IaC files, and many large files: skipped with the size and the limit, never read
 * whole into memory; a scan reads at most `MAX_TOTAL_BYTES` in all.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { locate, SOURCE_TAG_ADVICE, type LocateRepository } from '../../src/iac/locate.js';
import { MAX_FILE_BYTES, MAX_TOTAL_BYTES } from '../../src/iac/repo-files.js';
import { makeWorld, STORAGE_TF, type World } from '../local/fixture.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { rssGrowthMb, runIn, writeLargeFile } from './support.js';

const BIG = 50 * 1024 * 1024;
const BIG_TF = { head: 'resource "aws_s3_bucket" "big" {\n  bucket = "big-bucket"\n}\n', fill: '# padding to make a very large file\n' };
const BIG_TEMPLATE = {
  head: 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Big:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: big-bucket\n',
  fill: '# padding to make a very large file\n',
};

let root: string;
let world: World | undefined;

function finding(bucket: string, tags: Record<string, string> = {}): Finding {
  const f = normalizeEvent(importedEvent([asffFinding({ Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${bucket}`, Tags: tags }] })]))
    .findings[0];
  if (!f) throw new Error('no finding');
  return f;
}

beforeAll(async () => {
  // The HCL parser (WebAssembly) takes its memory on first use; measurements start after that.
  const warm = mkdtempSync(join(tmpdir(), 'cloudmend-abuse-warm-'));
  writeFileSync(join(warm, 'storage.tf'), STORAGE_TF);
  await locate(finding('acme-logs'), { name: 'infra', root: warm, iac: 'terraform' });
  rmSync(warm, { recursive: true, force: true });
});
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cloudmend-abuse-large-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  world?.cleanup();
  world = undefined;
});

describe('a 50 MB IaC file', () => {
  const tf: () => LocateRepository = () => ({ name: 'infra', root, iac: 'terraform' });
  const tooLarge = `big.tf is ${BIG} bytes, over the ${MAX_FILE_BYTES} bytes cloudmend reads of an IaC file`;

  it('is skipped by the scan with its size, without being read, while the rest is still searched', async () => {
    writeFileSync(join(root, 'storage.tf'), STORAGE_TF);
    writeLargeFile(join(root, 'big.tf'), BIG, BIG_TF);
    const { result, growthMb } = await rssGrowthMb(
      async () => [await locate(finding('big-bucket'), tf()), await locate(finding('acme-logs'), tf())] as const,
    );
    const [big, small] = result;
    expect(big).toEqual({
      found: false,
      tried: [
        `skipped big.tf (${BIG} bytes, over ${MAX_FILE_BYTES})`,
        'name "big-bucket" in aws_s3_bucket.bucket: no match',
        SOURCE_TAG_ADVICE,
      ],
    });
    expect(small).toMatchObject({ found: true, target: { file: 'storage.tf', address: 'aws_s3_bucket.logs' } });
    expect(growthMb).toBeLessThan(40);
  });

  it('is refused by name and size when a cloudmend:source tag points at it', async () => {
    writeLargeFile(join(root, 'big.tf'), BIG, BIG_TF);
    const result = await locate(finding('big-bucket', { 'cloudmend:source': 'big.tf#aws_s3_bucket.big' }), tf());
    expect(result.tried).toContain(`tag cloudmend:source="big.tf#aws_s3_bucket.big": ${tooLarge}`);
  });

  it('is refused by name and size as a CloudFormation template mapped to a stack', async () => {
    mkdirSync(join(root, 'templates'));
    writeLargeFile(join(root, 'templates', 'big.yaml'), BIG, BIG_TEMPLATE);
    const tags = { 'aws:cloudformation:stack-name': 'big-prod', 'aws:cloudformation:logical-id': 'Big' };
    const { result, growthMb } = await rssGrowthMb(() =>
      locate(finding('generated-x1', tags), {
        name: 'stacks',
        root,
        iac: 'cloudformation',
        templates: { 'big-prod': 'templates/big.yaml' },
      }),
    );
    expect(result.found).toBe(false);
    expect(result.tried).toContain(
      `stack big-prod: templates/big.yaml: templates/big.yaml is ${BIG} bytes, over the ${MAX_FILE_BYTES} bytes cloudmend reads of an IaC file`,
    );
    expect(growthMb).toBeLessThan(40);
  });

  it('committed to the repository ends a run in no_target with the reason, in bounded memory', async () => {
    world = await makeWorld();
    // A first run loads the workflow stack, so the measured run shows only what the file costs.
    writeFileSync(
      join(world.root, 'warm.json'),
      JSON.stringify(importedEvent([asffFinding({ Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::nowhere' }] })])),
    );
    expect((await runIn(world, ['warm.json'])).code).toBe(0);
    writeLargeFile(join(world.repo, 'big.tf'), BIG, BIG_TF);
    await world.git('add', 'big.tf');
    await world.git('commit', '-m', 'big');
    writeFileSync(
      join(world.root, 'e.json'),
      JSON.stringify(
        importedEvent([
          asffFinding({
            Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::big-bucket', Tags: { 'cloudmend:source': 'big.tf#aws_s3_bucket.big' } }],
          }),
        ]),
      ),
    );
    const w = world;
    const { result, growthMb } = await rssGrowthMb(() => runIn(w, ['e.json'], true));
    expect(result.code).toBe(0);
    const [r] = (JSON.parse(result.stdout) as { results: { status: string; reason: string }[] }).results;
    expect(r?.status).toBe('no_target');
    expect(r?.reason).toContain(
      `path "big.tf" does not exist in the repository (cloudmend's copy of a branch leaves out symlinks, submodules and files over ${MAX_FILE_BYTES} bytes)`,
    );
    expect(growthMb).toBeLessThan(40);
  });
});

describe('many large files', () => {
  it(`reads at most ${MAX_TOTAL_BYTES} bytes in one scan and names the files it skipped`, async () => {
    // Not templates, so each is parsed and put aside quietly: only the budget can skip one.
    const count = Math.floor(MAX_TOTAL_BYTES / MAX_FILE_BYTES) + 2;
    for (let i = 0; i < count; i += 1)
      writeLargeFile(join(root, `data-${String(i).padStart(2, '0')}.json`), MAX_FILE_BYTES, { head: '{"pad":"', tail: '"}' });
    const result = await locate(finding('acme-logs'), { name: 'stacks', root, iac: 'cloudformation' });
    expect(result.tried.filter((t) => t.startsWith('skipped'))).toEqual([
      `skipped data-${count - 2}.json (the files before it fill the ${MAX_TOTAL_BYTES} bytes read in all)`,
      `skipped data-${count - 1}.json (the files before it fill the ${MAX_TOTAL_BYTES} bytes read in all)`,
    ]);
  });

  it('names ten skipped files and counts the rest, so the reason stays short', async () => {
    writeFileSync(join(root, 'storage.tf'), STORAGE_TF);
    for (let i = 0; i < 25; i += 1) symlinkSync('/etc/passwd', join(root, `link-${String(i).padStart(2, '0')}.tf`));
    const result = await locate(finding('nowhere'), { name: 'infra', root, iac: 'terraform' });
    expect(result.tried).toHaveLength(13);
    expect(result.tried[9]).toBe('skipped link-09.tf (symlink, not followed)');
    expect(result.tried[10]).toBe('skipped 15 more files');
  });
});
