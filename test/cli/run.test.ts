import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { artifactsAt } from '../../src/local/setup.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { makeWorld, type World } from '../local/fixture.js';
import { cli, common } from './support.js';

let world: World | undefined;
afterEach(() => world?.cleanup());

describe('cloudmend run', () => {
  it('runs good events, reports a malformed one and exits 2, and prints the documented JSON', async () => {
    world = await makeWorld();
    const events = join(world.root, 'events');
    mkdirSync(events);
    writeFileSync(
      join(events, 'a-good.json'),
      JSON.stringify(importedEvent([asffFinding({ Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-logs' }] })])),
    );
    writeFileSync(join(events, 'b-bad.json'), JSON.stringify({ hello: 'world' }));
    const { code, stdout } = await cli(world, ['run', 'events', ...common(world), '--approve', 'auto', '--json']);
    expect(code).toBe(2);
    const report = JSON.parse(stdout) as { results: Record<string, unknown>[]; rejected: unknown[]; summary: Record<string, number> };
    expect(report.results).toEqual([
      {
        file: 'events/a-good.json',
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
        controlId: 'S3.8',
        status: 'pr_opened',
        skill: 's3-block-public-access',
        branch: expect.stringMatching(/^cloudmend\/s3\.8-/) as unknown,
        files: ['storage.tf'],
        validation: { passed: true, checks: expect.any(Array) as unknown },
        approval: {
          id: expect.stringMatching(/^apr_/) as unknown,
          decision: 'approved',
          by: expect.stringMatching(/--approve-auto$/) as unknown,
        },
        reason: expect.stringMatching(/^opened: local:infra:cloudmend\/s3\.8-/) as unknown,
      },
    ]);
    expect(report.rejected).toEqual([
      { file: 'events/b-bad.json', error: expect.stringMatching(/^cloudmend\.InvalidEvent: not an EventBridge event/) as unknown },
    ]);
    expect(report.summary).toMatchObject({ findings: 1, rejected_events: 1, pr_opened: 1, failed: 0 });
  });

  it('prints progress on stderr and a table on stdout without --json', async () => {
    world = await makeWorld();
    writeFileSync(
      join(world.root, 'e.json'),
      JSON.stringify(importedEvent([asffFinding({ Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-logs' }] })])),
    );
    const { code, stdout, stderr } = await cli(world, ['run', 'e.json', ...common(world), '--approve', 'reject']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^ {2}[0-9a-f]{8} {2}Locate +done/m);
    expect(stderr).toMatch(/approval requested apr_[0-9a-f]+: S3\.8/);
    expect(stdout).toMatch(/S3\.8 +rejected/);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('1 finding: rejected 1');
  });

  it('refuses a bad --approve and an unknown --repo name with exit 2', async () => {
    world = await makeWorld();
    expect(await cli(world, ['run', 'x.json', ...common(world), '--approve', 'maybe'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--approve must be auto, reject or wait/) as unknown,
    });
    expect(await cli(world, ['run', 'x.json', ...common(world), '--repo', `nope=${world.repo}`])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/no repository named nope in the config \(have: infra\)/) as unknown,
    });
  });
});

describe('reading a ledger that is not there', () => {
  it('says so and exits 2, creating nothing, for a mistyped --state or a missing config', async () => {
    world = await makeWorld();
    const typo = join(world.root, 'stat');
    for (const command of ['status', 'approvals', 'show']) {
      const argv = command === 'show' ? [command, 'abcd1234'] : [command];
      const result = await cli(world, [...argv, '--config', world.configFile, '--state', typo]);
      expect(result.code, command).toBe(2);
      expect(result.stderr).toMatch(/there is no ledger at .*stat\/ledger\.db: nothing has run there yet; pass the --config and --state/);
    }
    expect(existsSync(typo)).toBe(false);
  });
});

describe('cloudmend --version', () => {
  it("prints the package's version and exits 0", async () => {
    world = await makeWorld();
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) expect(await cli(world, [flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('cloudmend approvals, approve, reject, status, show', () => {
  /** A finding waiting on `apr_1`; with `drift`, its stored patch codifies drift (`codify: false`: cloudmend cannot). */
  async function pending(w: World, drift?: { codify?: false }): Promise<string> {
    mkdirSync(w.state, { recursive: true });
    const artifact = `${'f'.repeat(32)}/1/patch.json`;
    await artifactsAt(w.state).put(artifact, { diff: '', drift: drift && { differences: ['ingress 0.0.0.0/0:22 live'], ...drift } });
    const ledger = openSqliteLedger({ path: join(w.state, 'ledger.db') });
    const at = new Date();
    await ledger.claim({
      fingerprint: 'f'.repeat(32),
      summary: { source: 'securityhub', controlId: 'S3.8', resourceId: 'arn:aws:s3:::acme-logs' },
      actor: 't',
      at,
    });
    for (const to of ['located', 'patched', 'awaiting_approval'] as const) {
      const from = ({ located: 'claimed', patched: 'located', awaiting_approval: 'patched' } as const)[to];
      await ledger.transition({ fingerprint: 'f'.repeat(32), from, to, actor: 't', at, data: to === 'patched' ? { artifact } : undefined });
    }
    await ledger.putApproval({
      id: 'apr_1',
      fingerprint: 'f'.repeat(32),
      taskToken: 'secret-token',
      requestedAt: at,
      expiresAt: new Date(at.getTime() + 3_600_000),
    });
    await ledger.close();
    return 'apr_1';
  }

  it('lists a waiting request, decides it once, and says so when it is decided again', async () => {
    world = await makeWorld();
    const id = await pending(world);
    const listed = await cli(world, ['approvals', ...common(world)]);
    expect(listed.stdout).toMatch(/^apr_1 {2}S3\.8 {2}arn:aws:s3:::acme-logs {2}expires /);
    expect(listed.stdout).not.toContain('secret-token');
    // The token names no process of this machine: who carries the decision out is told as far as it is known.
    expect(await cli(world, ['approve', id, ...common(world), '--by', 'alice'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /^apr_1: approved by cli:alice; the run that asked is not a process of this machine: if it still waits, it continues; else the next `cloudmend run` or `cloudmend serve` with --config \S+ --state \S+ opens the pull request of the approved patch\n$/,
      ) as unknown,
    });
    expect(await cli(world, ['reject', id, ...common(world), '--by', 'bob'])).toMatchObject({
      code: 2,
      stdout: 'apr_1 was already approved by cli:alice; nothing changed\n',
    });
    expect(await cli(world, ['approve', 'apr_nope', ...common(world)])).toMatchObject({
      code: 2,
      stderr: 'cloudmend: no approval apr_nope; list them with: cloudmend approvals\n',
    });
    const status = JSON.parse((await cli(world, ['status', ...common(world), '--json'])).stdout) as { counts: Record<string, number> };
    expect(status.counts).toEqual({ approved: 1 });
  });

  it('refuses what a drift request does not accept, naming cloudmend decide and its choices, and records nothing', async () => {
    world = await makeWorld();
    const id = await pending(world, { codify: false });
    const flags = `--config ${world.configFile} --state ${world.state}`;
    expect(await cli(world, ['approve', id, ...common(world)])).toMatchObject({
      code: 2,
      stderr: `cloudmend: apr_1 is a drift decision that accepts revert, ignore, not approve; nothing changed. decide with: cloudmend decide apr_1 revert|ignore ${flags}\n`,
    });
    expect(await cli(world, ['decide', id, 'codify', ...common(world)])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /^cloudmend: apr_1 is a drift decision that accepts revert, ignore, not codify \(cloudmend cannot write these live values into the code: write them by hand\); nothing changed\. decide with: cloudmend decide apr_1 revert\|ignore /,
      ) as unknown,
    });
    const status = JSON.parse((await cli(world, ['status', ...common(world), '--json'])).stdout) as { counts: Record<string, number> };
    expect(status.counts).toEqual({ awaiting_approval: 1 });
    expect(await cli(world, ['decide', id, 'revert', ...common(world), '--by', 'alice'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^apr_1: revert by cli:alice; .*finishes recording the revert\n$/) as unknown,
    });
  });

  it('refuses a drift choice on a plain approval, naming cloudmend approve', async () => {
    world = await makeWorld();
    const id = await pending(world);
    expect(await cli(world, ['decide', id, 'ignore', ...common(world)])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /^cloudmend: apr_1 is an approval that accepts approve, reject, not ignore; nothing changed\. approve with: cloudmend approve apr_1 /,
      ) as unknown,
    });
  });

  it('shows a finding by fingerprint prefix, with its history and pull request', async () => {
    world = await makeWorld();
    writeFileSync(
      join(world.root, 'e.json'),
      JSON.stringify(importedEvent([asffFinding({ Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-logs' }] })])),
    );
    const run = JSON.parse((await cli(world, ['run', 'e.json', ...common(world), '--approve', 'auto', '--json'])).stdout) as {
      results: { fingerprint: string }[];
    };
    const fp = run.results[0]?.fingerprint ?? '';
    const { code, stdout } = await cli(world, ['show', fp.slice(0, 8), ...common(world)]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^${fp}  S3\\.8  pr_opened`));
    expect(stdout).toContain('## Rollback');
    expect(stdout).toContain('+resource "aws_s3_bucket_public_access_block" "logs" {');
  });
});
