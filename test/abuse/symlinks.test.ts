/**
 * Symlinks committed to the repository that point outside it: a file link named like IaC
 * (`main.tf -> /etc/passwd`), a directory link, a relative climb, a loop. `cloudmend run` neither
 * reads through them (a resource declared only behind one is never located) nor writes through
 * them (the pull request leaves every link as it was, and the files behind them untouched).
 */
import { readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../local/fixture.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { outsideDir, runIn } from './support.js';

const SENTINEL = 'SENTINEL-91c2: this file is outside the repository';
const OUTSIDE_TF = `# ${SENTINEL}\nresource "aws_s3_bucket" "outside" {\n  bucket = "outside-bucket"\n}\n`;

let world: World;
let outside: string;

interface Result {
  fingerprint: string;
  status: string;
  branch?: string;
  files?: string[];
  reason: string;
}

const bucketFinding = (bucket: string, tags: Record<string, string> = {}, id = bucket): Record<string, unknown> =>
  asffFinding({ Id: `finding-${id}`, Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${bucket}`, Tags: tags }] });

async function treeOf(ref: string): Promise<string> {
  return world.git('ls-tree', '-r', ref);
}

beforeEach(async () => {
  outside = outsideDir();
  writeFileSync(join(outside, 'outside.tf'), OUTSIDE_TF);
  world = await makeWorld();
  symlinkSync('/etc/passwd', join(world.repo, 'main.tf'));
  symlinkSync(outside, join(world.repo, 'modules'));
  symlinkSync(relative(world.repo, join(outside, 'outside.tf')), join(world.repo, 'climb.tf'));
  symlinkSync('.', join(world.repo, 'loop'));
  await world.git('add', '--all');
  await world.git('commit', '-m', 'links');
});
afterEach(() => {
  world.cleanup();
  rmSync(outside, { recursive: true, force: true });
});

describe('symlinks in the repository', () => {
  it('are committed as links: the test really has them on the default branch', async () => {
    const tree = await treeOf('main');
    for (const link of ['main.tf', 'modules', 'climb.tf', 'loop'])
      expect(tree).toMatch(new RegExp(`^120000 blob [0-9a-f]+\\t${link}$`, 'm'));
  });

  it('never locate a resource declared only behind a link, by name or by tag, and open no branch for it', async () => {
    const event = importedEvent([
      bucketFinding('outside-bucket', {}, 'by-name'),
      bucketFinding('outside-bucket-2', { 'cloudmend:source': 'modules/outside.tf#aws_s3_bucket.outside' }),
      bucketFinding('outside-bucket-3', { 'cloudmend:source': 'climb.tf#aws_s3_bucket.outside' }),
      bucketFinding('outside-bucket-4', { 'cloudmend:source': 'main.tf#root' }),
      bucketFinding('outside-bucket-5', { 'cloudmend:source': 'loop/loop/storage.tf#aws_s3_bucket.logs' }),
    ]);
    writeFileSync(join(world.root, 'e.json'), JSON.stringify(event));

    const { code, stdout } = await runIn(world, ['e.json'], true);

    expect(code).toBe(0);
    const { results } = JSON.parse(stdout) as { results: Result[] };
    expect(results.map((r) => r.status)).toEqual(['no_target', 'no_target', 'no_target', 'no_target', 'no_target']);
    expect(results[0]?.reason).toMatch(/name "outside-bucket" in aws_s3_bucket\.bucket: no match/);
    // Snapshots leave links out, so a tag through one names a path that is not there, and says why.
    for (const r of results.slice(1))
      expect(r.reason).toMatch(/does not exist in the repository \(cloudmend's copy of a branch leaves out symlinks/);
    expect(stdout).not.toContain('SENTINEL');
    expect(stdout).not.toContain('root:x:0:0');
    expect((await world.git('branch', '--list', '--format=%(refname:short)')).trim()).toBe('main');
  });

  it('patch the real file next to them and leave every link, and what it points at, as it was', async () => {
    const before = {
      tree: await treeOf('main'),
      outside: statSync(join(outside, 'outside.tf')).mtimeMs,
      status: await world.git('status', '--porcelain'),
    };
    writeFileSync(join(world.root, 'e.json'), JSON.stringify(importedEvent([bucketFinding('acme-logs')])));

    const { code, stdout } = await runIn(world, ['e.json'], true);

    expect(code).toBe(0);
    const [result] = (JSON.parse(stdout) as { results: Result[] }).results;
    expect(result).toMatchObject({ status: 'pr_opened', files: ['storage.tf'] });
    const links = (tree: string): string[] => tree.split('\n').filter((line) => line.startsWith('120000 '));
    const after = await treeOf(result?.branch ?? '');
    expect(links(after)).toEqual(links(before.tree));
    expect(links(after)).toHaveLength(4);
    expect(after).not.toBe(before.tree);
    expect(readFileSync(join(outside, 'outside.tf'), 'utf8')).toBe(OUTSIDE_TF);
    expect(statSync(join(outside, 'outside.tf')).mtimeMs).toBe(before.outside);
    expect(await world.git('status', '--porcelain')).toBe(before.status);
  });
});
