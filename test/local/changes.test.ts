/**
 * One change per resource across runs: a new finding on a resource with an open pull request
 * updates that branch; a default branch that moved, a merged pull request, a deleted branch and a
 * branch a person wrote on are each handled by the next run (never a bare `duplicate`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { cli, common } from '../cli/support.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { groupFinding } from '../workflow/tasks/support.js';
import { makeWorld, STORAGE_TF, type World } from './fixture.js';

let world: World | undefined;
afterEach(() => world?.cleanup());

interface Result {
  readonly fingerprint: string;
  readonly controlId: string | null;
  readonly status: string;
  readonly branch: string | null;
  readonly reason: string;
}

const bucketFinding = (control: string, name = 'acme-logs') =>
  asffFinding({
    control,
    Id: `finding-${control}-${name}`,
    Title: `${control}: S3 general purpose buckets`,
    Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${name}`, Details: { AwsS3Bucket: { Name: name } } }],
  });

/** Runs one event holding `controls`' findings on bucket acme-logs; the results by control. */
async function run(w: World, ...controls: string[]): Promise<Record<string, Result>> {
  return runEvent(w, importedEvent(controls.map((c) => bucketFinding(c))));
}

async function runEvent(w: World, event: unknown, ...flags: string[]): Promise<Record<string, Result>> {
  writeFileSync(join(w.root, 'e.json'), JSON.stringify(event));
  const { stdout, code } = await cli(w, ['run', 'e.json', ...common(w), '--approve', 'auto', '--json', ...flags]);
  expect(code).toBe(0);
  const results = (JSON.parse(stdout) as { results: Result[] }).results;
  return Object.fromEntries(results.map((r) => [r.controlId ?? '', r]));
}

const branches = async (w: World): Promise<string[]> =>
  (await w.git('branch', '--list', 'cloudmend/*', '--format=%(refname:short)')).split('\n').filter(Boolean);

async function changeOf(w: World) {
  const ledger = openSqliteLedger({ path: join(w.state, 'ledger.db') });
  try {
    return await ledger.openChangeFor('infra', 'arn:aws:s3:::acme-logs');
  } finally {
    await ledger.close();
  }
}

/** Commits `text` as `file` on main, as a person merging something else would. */
async function commitOnMain(w: World, file: string, text: string): Promise<void> {
  writeFileSync(join(w.repo, file), text);
  await w.git('add', file);
  await w.git('commit', '-q', '-m', `change ${file}`);
}

describe('one change per resource, in one run', () => {
  it('gives EC2.13/18/19 on one group and S3.4/S3.5/S3.8 on one bucket, each in its own event, one branch each; merging them in turn never conflicts', async () => {
    const group = readFileSync(join(import.meta.dirname, '../../src/skills/ec2-open-ingress/cases/bastion-ssh.input.tf'), 'utf8');
    world = await makeWorld('skills: { allowedIngressCidrs: [10.0.0.0/8] }\n', { 'storage.tf': STORAGE_TF, 'network.tf': group });
    const events = join(world.root, 'events');
    mkdirSync(events);
    const findings = [
      ...['EC2.13', 'EC2.18', 'EC2.19'].map((c) => groupFinding(c, 'bastion')),
      ...['S3.4', 'S3.5', 'S3.8'].map((c) => bucketFinding(c)),
    ];
    for (const [i, finding] of findings.entries())
      writeFileSync(join(events, `${i}.json`), JSON.stringify(importedEvent([finding], { id: `evt-${i}` })));
    const { stdout, code } = await cli(world, ['run', 'events', ...common(world), '--approve', 'auto', '--json']);
    expect(code).toBe(0);
    const results = (JSON.parse(stdout) as { results: Result[] }).results;
    expect(new Set(results.filter((r) => r.status === 'pr_opened').map((r) => r.controlId))).toEqual(
      new Set(['EC2.13', 'EC2.18', 'EC2.19', 'S3.4', 'S3.5', 'S3.8']),
    );
    const heads = await branches(world);
    expect(heads).toHaveLength(2);
    await world.git('checkout', '-q', '-b', 'merged-in-turn', 'main');
    for (const branch of heads) await world.git('merge', '-q', '--no-edit', branch);
    const merged = await world.git('show', 'HEAD:storage.tf');
    for (const resource of ['public_access_block', 'server_side_encryption_configuration', 'aws_s3_bucket_policy'])
      expect(merged).toContain(resource);
  });
});

describe('one change per resource, across runs', () => {
  it('updates the open branch with a new finding on its resource: one branch fixing both, merging cleanly', async () => {
    world = await makeWorld();
    const first = await run(world, 'S3.4');
    expect(first['S3.4']).toMatchObject({ status: 'pr_opened' });
    const second = await run(world, 'S3.8');
    expect(second['S3.8']).toMatchObject({
      status: 'pr_opened',
      branch: first['S3.4']!.branch,
      reason: expect.stringMatching(/^updated/) as unknown,
    });
    expect(second['S3.4']).toMatchObject({ status: 'pr_opened', branch: first['S3.4']!.branch });
    expect(await branches(world)).toEqual([first['S3.4']!.branch]);
    const fixed = await world.git('show', `${first['S3.4']!.branch}:storage.tf`);
    expect(fixed).toContain('aws_s3_bucket_server_side_encryption_configuration');
    expect(fixed).toContain('aws_s3_bucket_public_access_block');
    expect(await changeOf(world)).toMatchObject({ state: 'open', fingerprints: [first['S3.4']!.fingerprint, second['S3.8']!.fingerprint] });
    // The same finding again: the branch already holds its fix.
    expect((await run(world, 'S3.8'))['S3.8']).toMatchObject({ status: 'duplicate' });
  });

  it('regenerates the branch on the new default head when main moved, so it merges without conflict', async () => {
    world = await makeWorld();
    const first = (await run(world, 'S3.4'))['S3.4']!;
    await commitOnMain(world, 'storage.tf', `${await world.git('show', 'main:storage.tf')}\n# reviewed by the platform team\n`);
    const again = (await run(world, 'S3.4'))['S3.4']!;
    expect(again).toMatchObject({ status: 'pr_opened', branch: first.branch, reason: expect.stringMatching(/^updated/) as unknown });
    // Based on main again: main is an ancestor of the branch, and the branch keeps main's new line.
    await world.git('merge-base', '--is-ancestor', 'main', first.branch!);
    expect(await world.git('show', `${first.branch!}:storage.tf`)).toContain('# reviewed by the platform team');
    await world.git('merge', '-q', '--no-edit', first.branch!);
  });

  it('closes a merged change: the finding coming again finds its fix on main and opens nothing', async () => {
    world = await makeWorld();
    const first = (await run(world, 'S3.4'))['S3.4']!;
    await world.git('merge', '-q', '--no-edit', first.branch!);
    const again = (await run(world, 'S3.4'))['S3.4']!;
    expect(again).toMatchObject({ status: 'no_fix', branch: null });
    expect(await changeOf(world)).toBeUndefined();
  });

  it('opens a new change when the branch of the open one is gone', async () => {
    world = await makeWorld();
    const first = (await run(world, 'S3.4'))['S3.4']!;
    await world.git('branch', '-D', first.branch!);
    const again = (await run(world, 'S3.4'))['S3.4']!;
    expect(again).toMatchObject({ status: 'pr_opened', reason: expect.stringMatching(/^opened/) as unknown });
    expect(await branches(world)).toEqual([again.branch]);
  });

  it('never moves a branch a person wrote on: the new finding on its resource is skipped, saying why', async () => {
    world = await makeWorld();
    const first = (await run(world, 'S3.4'))['S3.4']!;
    const head = (await world.git('rev-parse', first.branch!)).trim();
    await world.git('checkout', '-q', first.branch!);
    await commitOnMain(world, 'notes.md', 'reviewed\n');
    await world.git('checkout', '-q', 'main');
    const personal = (await world.git('rev-parse', first.branch!)).trim();
    expect(personal).not.toBe(head);
    const second = (await run(world, 'S3.8'))['S3.8']!;
    expect(second).toMatchObject({ status: 'skipped', reason: expect.stringContaining('someone else wrote the last commit') as unknown });
    expect((await world.git('rev-parse', first.branch!)).trim()).toBe(personal);
  });

  it('folds the open changes of two resources a batch holds into one, and retires the other as superseded', async () => {
    world = await makeWorld('', { 'storage.tf': `${STORAGE_TF}\nresource "aws_s3_bucket" "data" {\n  bucket = "acme-data"\n}\n` });
    const logs = (await runEvent(world, importedEvent([bucketFinding('S3.4')])))['S3.4']!;
    const data = (await runEvent(world, importedEvent([bucketFinding('S3.4', 'acme-data')])))['S3.4']!;
    expect(await branches(world)).toHaveLength(2);
    const batch = importedEvent([bucketFinding('S3.8'), bucketFinding('S3.8', 'acme-data')]);
    const results = Object.values(await runEvent(world, batch, '--batch'));
    expect(results.every((r) => r.status === 'pr_opened')).toBe(true);
    const [kept] = await branches(world);
    expect(await branches(world)).toEqual([kept]);
    expect([logs.branch, data.branch]).toContain(kept);
    const fixed = await world.git('show', `${kept!}:storage.tf`);
    expect(fixed.match(/aws_s3_bucket_public_access_block/g)?.length).toBe(2);
    expect(fixed.match(/aws_s3_bucket_server_side_encryption_configuration/g)?.length).toBe(2);
  });
});
