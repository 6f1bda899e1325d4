import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { makeWorld, type World } from '../local/fixture.js';
import { cli, common } from './support.js';

let world: World | undefined;
afterEach(() => world?.cleanup());

/** S3.8 on a bucket whose name the repository does not hold: located only through its `cloudmend:source` tag. */
function writeEvent(w: World, tags: Record<string, string>): void {
  const resource = {
    Type: 'AwsS3Bucket',
    Id: 'arn:aws:s3:::acme-archive-7f3a',
    Tags: tags,
    Details: { AwsS3Bucket: { Name: 'acme-archive-7f3a' } },
  };
  writeFileSync(join(w.root, 'e.json'), JSON.stringify(importedEvent([asffFinding({ Resources: [resource] })])));
}

async function runEvent(w: World): Promise<{ fingerprint: string; status: string }> {
  const { stdout } = await cli(w, ['run', 'e.json', ...common(w), '--approve', 'auto', '--json']);
  const [result] = (JSON.parse(stdout) as { results: { fingerprint: string; status: string }[] }).results;
  return result ?? { fingerprint: '', status: 'none' };
}

describe('cloudmend retry', () => {
  it('puts a no_target finding back to work: after the tag is added its next run opens the pull request', async () => {
    world = await makeWorld();
    writeEvent(world, { team: 'platform' });
    const first = await runEvent(world);
    expect(first.status).toBe('no_target');

    // The user tags the resource; the same finding delivered again is still only a duplicate.
    writeEvent(world, { team: 'platform', 'cloudmend:source': 'storage.tf#aws_s3_bucket.logs' });
    expect(await runEvent(world)).toEqual(expect.objectContaining({ fingerprint: first.fingerprint, status: 'duplicate' }));

    const retried = await cli(world, [
      'retry',
      first.fingerprint.slice(0, 10),
      ...common(world),
      '--by',
      'ana',
      '--reason',
      'tagged cloudmend:source',
    ]);
    expect(retried).toMatchObject({ code: 0, stderr: '' });
    expect(retried.stdout).toBe(
      [
        'retried 1 finding by cli:ana (tagged cloudmend:source):',
        `  ${first.fingerprint}  was no_target`,
        'run the events they came in again (e.g. cloudmend run <events>): the next delivery claims them instead of duplicate',
        '',
      ].join('\n'),
    );

    expect(await runEvent(world)).toEqual(expect.objectContaining({ fingerprint: first.fingerprint, status: 'pr_opened' }));
    const shown = JSON.parse((await cli(world, ['show', first.fingerprint, ...common(world), '--json'])).stdout) as {
      finding: { state: string; attempts: number };
      history: { type: string; actor: string; data?: Record<string, unknown> }[];
    };
    expect(shown.finding).toMatchObject({ state: 'pr_opened', attempts: 2 });
    expect(shown.history.filter((e) => e.type === 'retry')).toEqual([
      expect.objectContaining({
        actor: 'cli:ana',
        data: expect.objectContaining({ from: 'no_target', to: 'failed', reason: 'retry: tagged cloudmend:source' }) as unknown,
      }),
    ]);
  });

  it('retries every finding of an allowed --status, and refuses a status not allowed', async () => {
    world = await makeWorld();
    writeEvent(world, {});
    const { fingerprint } = await runEvent(world);
    const bad = await cli(world, ['retry', '--status', 'pr_opened', ...common(world)]);
    expect(bad).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--status must be one of no_target, no_fix, .*, not "pr_opened"/) as unknown,
    });
    const json = JSON.parse(
      (await cli(world, ['retry', '--status', 'no_target', ...common(world), '--by', 'bo', '--json'])).stdout,
    ) as unknown;
    expect(json).toMatchObject({ retried: [{ fingerprint, from: 'no_target' }], actor: 'cli:bo', reason: 'requested' });
    expect(await cli(world, ['retry', '--status', 'no_target', ...common(world)])).toMatchObject({
      code: 0,
      stdout: 'no finding is no_target; nothing changed\n',
    });
  });

  it('refuses a finding in flight, an unknown or ambiguous prefix, and no target at all, changing nothing', async () => {
    world = await makeWorld();
    mkdirSync(world.state, { recursive: true });
    const ledger = openSqliteLedger({ path: join(world.state, 'ledger.db') });
    const claim = (fingerprint: string) => ledger.claim({ fingerprint, summary: { source: 'securityhub' }, actor: 't', at: new Date() });
    const claimed = 'ab120'.padEnd(32, '0');
    await claim(claimed);
    await claim('ab121'.padEnd(32, '0'));
    await ledger.close();
    expect(await cli(world, ['retry', 'ab120', ...common(world)])).toMatchObject({
      code: 2,
      stderr: `cloudmend: finding ${claimed} is claimed: a run is working on it or waiting for a person; only a finished finding can be retried\n`,
    });
    expect(await cli(world, ['retry', 'ab12', ...common(world)])).toMatchObject({
      code: 2,
      stderr: 'cloudmend: ab12 matches 2 findings; give more of the fingerprint\n',
    });
    expect(await cli(world, ['retry', 'ffff', ...common(world)])).toMatchObject({
      code: 2,
      stderr: 'cloudmend: no finding "ffff"; list them with: cloudmend status\n',
    });
    expect(await cli(world, ['retry', ...common(world)])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('give a fingerprint') as unknown,
    });
    const status = JSON.parse((await cli(world, ['status', ...common(world), '--json'])).stdout) as { counts: Record<string, number> };
    expect(status.counts).toEqual({ claimed: 2 });
  });
});
