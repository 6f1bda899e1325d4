import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { makeWorld, type World } from '../local/fixture.js';
import { cli, common } from './support.js';

let world: World | undefined;
afterEach(() => world?.cleanup());

const smoke = (w: World, ...more: string[]) => cli(w, ['smoke', '--local', ...common(w), ...more]);
const json = (stdout: string) =>
  JSON.parse(stdout) as {
    passed: boolean;
    state: string;
    reason: string;
    runId: string;
    fingerprint: string;
    branches: { scratch: string; pullRequest: string | null };
  };

describe('cloudmend smoke --local', () => {
  it('reaches pr_opened with a pull request touching only the scratch file, and deletes its branches', async () => {
    world = await makeWorld('policy: { default: pull_request }\n');
    const main = await world.git('rev-parse', 'main');
    const { code, stdout, stderr } = await smoke(world);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^smoke test [0-9a-f]{12}: cloudmend-smoke\/[0-9a-f]{12}\.tf on branch cloudmend-smoke\/[0-9a-f]{12} of infra/m);
    expect(stderr).toMatch(/^ {2}[0-9a-f]{8} {2}OpenPullRequest +done/m);
    expect(stdout).toMatch(/\(not a real finding; the ledger keeps it as [0-9a-f]{8}\): passed\nstopped at pr_opened: opened: /);
    expect(await world.git('rev-parse', 'main')).toBe(main);
    expect(await world.git('branch', '--list')).toBe('* main\n');
    const ledger = openSqliteLedger({ path: join(world.state, 'ledger.db') });
    try {
      const recorded = await ledger.list();
      expect(recorded.map((f) => [f.state, f.summary?.title])).toEqual([
        ['pr_opened', expect.stringMatching(/^cloudmend smoke test: not a real finding/)],
      ]);
    } finally {
      await ledger.close();
    }
  });

  it('keeps both branches with --keep: the pull request is based on the scratch branch and changes only its file', async () => {
    world = await makeWorld('policy: { default: pull_request }\n');
    const main = await world.git('rev-parse', 'main');
    const { code, stdout } = await smoke(world, '--keep', '--json');
    expect(code).toBe(0);
    const report = json(stdout);
    expect(report).toMatchObject({ passed: true, state: 'pr_opened' });
    const { scratch, pullRequest } = report.branches;
    expect(scratch).toBe(`cloudmend-smoke/${report.runId}`);
    expect(pullRequest).toMatch(/^cloudmend\/s3\.8-/);
    expect(await world.git('rev-parse', 'main')).toBe(main);
    expect(await world.git('diff', '--name-only', 'main', scratch)).toBe(`cloudmend-smoke/${report.runId}.tf\n`);
    expect(await world.git('merge-base', scratch, String(pullRequest))).toBe(await world.git('rev-parse', scratch));
    expect(await world.git('diff', '--name-only', scratch, String(pullRequest))).toBe(`cloudmend-smoke/${report.runId}.tf\n`);
    expect(await world.git('diff', scratch, String(pullRequest))).toMatch(/\+resource "aws_s3_bucket_public_access_block"/);
    // The config ran unchanged: the ledger's record of the run is what based the pull request on the scratch branch.
    const ledger = openSqliteLedger({ path: join(world.state, 'ledger.db') });
    try {
      const run = await ledger.smokeRun(report.runId);
      expect(run).toMatchObject({ repository: 'infra', by: expect.stringMatching(/^cli:/) as unknown });
      expect(run!.expiresAt.getTime() - run!.startedAt.getTime()).toBe(3_600_000);
      expect(await ledger.pullRequestsFor(report.fingerprint)).toMatchObject([{ branch: pullRequest, base: scratch }]);
    } finally {
      await ledger.close();
    }
  });

  it('has the approval an approval tier asks for requested, then rejects it itself, and passes', async () => {
    world = await makeWorld();
    const { code, stdout, stderr } = await smoke(world);
    expect(stderr).toMatch(/approval requested apr_[0-9a-f]+: S3\.8 AWS::S3::Bucket cloudmend-smoke-[0-9a-f]{12} in infra/);
    expect(stdout).toMatch(/passed\nstopped at approval_requested: approval (apr_\S+ )?requested, then rejected by the smoke test\n/);
    expect(code).toBe(0);
  });

  it('writes a CloudFormation template as its scratch file in a CloudFormation repository, and the fix changes only it', async () => {
    const template = 'Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: acme-logs\n';
    world = await makeWorld('policy: { default: pull_request }\n', { 'templates/storage.yaml': template }, 'cloudformation');
    const { code, stdout } = await smoke(world, '--json', '--keep');
    const report = json(stdout);
    expect({ code, passed: report.passed, state: report.state }).toEqual({ code: 0, passed: true, state: 'pr_opened' });
    const { scratch, pullRequest } = report.branches;
    const file = `cloudmend-smoke/${report.runId}.yaml`;
    expect(await world.git('diff', '--name-only', 'main', scratch)).toBe(`${file}\n`);
    expect(await world.git('diff', '--name-only', scratch, String(pullRequest))).toBe(`${file}\n`);
    expect(await world.git('show', `${String(pullRequest)}:${file}`)).toMatch(/PublicAccessBlockConfiguration:\n\s+BlockPublicAcls: true/);
  });

  it('exits 1 before writing anything when the policy would open no pull request for the smoke finding', async () => {
    world = await makeWorld('policy: { default: observe }\n');
    const { code, stdout } = await smoke(world, '--json');
    expect(json(stdout)).toMatchObject({
      passed: false,
      state: 'not_sent',
      reason: expect.stringMatching(
        /^the config would not fix the smoke finding \(observe_only: .*\); the smoke test needs S3\.8 fixed$/,
      ) as unknown,
    });
    expect(code).toBe(1);
    expect(await world.git('branch', '--list')).toBe('* main\n');
  });

  it.each([
    [
      'a repository path that is not a git repository',
      (w: World) => (mkdirSync(join(w.root, 'plain')), ['--repo', `infra=${join(w.root, 'plain')}`]),
      /infra: .*plain is not a git repository.*pass --repo infra=<path>/,
    ],
    [
      'a config with no repositories',
      (w: World) => (writeFileSync(join(w.root, 'empty.yaml'), 'version: 1\n'), ['--config', join(w.root, 'empty.yaml')]),
      /no repository to test: add one under repositories: in the config, or pass --repo/,
    ],
    [
      'a repository on GitHub',
      (w: World) => {
        const yaml =
          'version: 1\nrepositories:\n  - { name: gh, provider: github, location: acme/infra, iac: terraform, owns: { accounts: ["*"] } }\n';
        writeFileSync(join(w.root, 'gh.yaml'), yaml);
        return ['--config', join(w.root, 'gh.yaml')];
      },
      /repository gh is on GitHub: cloudmend smoke --local writes its scratch file in Terraform or CloudFormation into a local git repository; .*--repo gh=/,
    ],
    ['an unknown --repository', () => ['--repository', 'nope'], /no repository named nope in the config \(have: infra\)/],
  ])('exits 2 with the problem and its fix for %s', async (_, args, message) => {
    world = await makeWorld();
    const { code, stderr } = await smoke(world, ...args(world));
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
  });

  it('exits 2 when the default branch is absent, and for --state without --local', async () => {
    world = await makeWorld();
    await world.git('branch', '-m', 'main', 'trunk');
    expect(await smoke(world)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/has no default branch main: commit to it first, or set defaultBranch/) as unknown,
    });
    expect(await cli(world, ['smoke', ...common(world)])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--state is for --local, not a deployed stack/) as unknown,
    });
  });
});
