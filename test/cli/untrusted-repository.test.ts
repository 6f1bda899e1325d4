/**
 * Acceptance: `cloudmend run --push` as a user runs it (node bin/cli.js), on a target repository
 * that configures a program everywhere git would start one. The fix reaches origin; none of the
 * programs run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { appendConfig, hostileRepository, plainGit, type HostileRepository } from '../support/hostile-repo.js';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLE = join(ROOT, 'examples/repos/infra-live');
const EVENT = join(ROOT, 'examples/events/securityhub-s3.8-imported.json');
// Validators and the model off: the run is about git.
const CONFIG = `version: 1
validators:
  terraform: { mode: off }
  cfnLint: { mode: off }
model: { provider: none }
`;

let root: string | undefined;
afterEach(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A hostile repository holding the example Terraform repository's files, under a new `root`. */
function hostileExample(): HostileRepository {
  root = mkdtempSync(join(tmpdir(), 'cloudmend-hostile-'));
  const files = readdirSync(EXAMPLE).map((name): [string, string] => [name, readFileSync(join(EXAMPLE, name), 'utf8')]);
  return hostileRepository(root, Object.fromEntries(files));
}

interface Report {
  readonly results: { status: string; branch?: string; reason: string }[];
}

/** `run <event> --repo <repo> --push --approve auto`, with a config that turns the validators and the model off. */
function runArguments(dir: string, hostile: HostileRepository): string[] {
  writeFileSync(join(dir, 'cloudmend.config.yaml'), CONFIG);
  const options = ['--config', join(dir, 'cloudmend.config.yaml'), '--state', join(dir, 'state'), '--json'];
  return ['run', EVENT, '--repo', hostile.repo, '--push', '--approve', 'auto', ...options];
}

describe('cloudmend run --push on a hostile target repository', () => {
  it('pushes the branch with the fix to origin and starts none of the programs the repository configures', async () => {
    const hostile = hostileExample();
    const dir = root ?? '';

    // As a user runs it, in an environment without the user's or the test runner's git settings.
    const env = { PATH: process.env.PATH ?? '', HOME: dir, LANG: 'C' };
    const cli = [join(ROOT, 'bin/cli.js'), ...runArguments(dir, hostile)];
    const { stdout } = await promisify(execFile)(process.execPath, cli, { cwd: dir, env, encoding: 'utf8' });

    expect(hostile.markers.written()).toEqual([]);
    const [result] = (JSON.parse(stdout) as Report).results;
    expect(result?.status).toBe('pr_opened');
    const branch = result?.branch ?? '';
    expect(branch).toMatch(/^cloudmend\/s3\.8-/);
    expect(plainGit(hostile.origin, 'rev-parse', branch)).toBe(plainGit(hostile.repo, 'rev-parse', branch));
    const fixed = plainGit(hostile.origin, 'show', `${branch}:storage.tf`);
    expect(fixed).toContain('resource "aws_s3_bucket_public_access_block" "access_logs"');
  }, 60_000);

  it('refuses an ext:: origin with a message saying what to do, and runs nothing', async () => {
    const hostile = hostileExample();
    const dir = root ?? '';
    const pushUrl = `ext::${hostile.markers.program('ext')}`;
    appendConfig(join(hostile.repo, '.git', 'config'), `[remote "origin"]\n\tpushurl = ${pushUrl}`);

    let stdout = '';
    const io = { stdout: (text: string) => (stdout += text), stderr: () => undefined, cwd: dir, env: {} };
    const code = await main(runArguments(dir, hostile), io);

    expect(hostile.markers.written()).toEqual([]);
    expect(code).toBe(1);
    const [result] = (JSON.parse(stdout) as Report).results;
    expect(result?.status).toBe('failed');
    expect(result?.reason).toMatch(/refusing to push to origin of repository .*: its URL "ext::.*" is not https/);
    expect(result?.reason).toMatch(/set origin to an https or ssh URL/);
    expect(plainGit(hostile.origin, 'for-each-ref', 'refs/heads/cloudmend/')).toBe('');
  }, 60_000);

  it('treats the same change on origin from another ledger as done, and refuses a branch a person pushed to, recording why', async () => {
    const hostile = hostileExample();
    const dir = root ?? '';
    /** One run with its own state directory (another ledger), as a separate machine would. */
    const run = async (ledger: string): Promise<{ code: number; result: Report['results'][number] | undefined }> => {
      let stdout = '';
      const io = { stdout: (text: string) => (stdout += text), stderr: () => undefined, cwd: dir, env: {} };
      const args = runArguments(dir, hostile).map((arg) => (arg === join(dir, 'state') ? join(dir, ledger) : arg));
      const code = await main(args, io);
      return { code, result: (JSON.parse(stdout) as Report).results[0] };
    };
    // The test's own git runs in the hostile repositories start none of their hooks either.
    const safeGit = (cwd: string, ...args: string[]): string => plainGit(cwd, '-c', 'core.hooksPath=/dev/null', ...args);
    const first = await run('state-a');
    const branch = first.result?.branch ?? '';
    expect(first.result?.status).toBe('pr_opened');
    // Another machine's cloudmend pushed the same change: the same tree in a commit of its own.
    const tip = plainGit(hostile.origin, 'rev-parse', branch);
    const message = plainGit(hostile.origin, 'log', '-1', '--format=%B', branch);
    const parent = plainGit(hostile.origin, 'rev-parse', `${branch}^`);
    const theirs = safeGit(hostile.origin, 'commit-tree', '--no-gpg-sign', `${tip}^{tree}`, '-p', parent, '-m', message);
    safeGit(hostile.origin, 'update-ref', `refs/heads/${branch}`, theirs);
    safeGit(hostile.repo, 'update-ref', '-d', `refs/heads/${branch}`);

    const second = await run('state-b');

    expect(second.code).toBe(0);
    expect(second.result?.status).toBe('pr_opened');
    expect(second.result?.reason).toMatch(
      /^opened; origin already held this change on its branch \(pushed from another ledger\), left as it was/,
    );
    expect(plainGit(hostile.origin, 'rev-parse', branch)).toBe(theirs);

    // A person pushes another change to the branch on origin; a third ledger runs the same finding.
    const person = safeGit(hostile.origin, 'commit-tree', '--no-gpg-sign', `${parent}^{tree}`, '-p', theirs, '-m', 'undo by hand');
    safeGit(hostile.origin, 'update-ref', `refs/heads/${branch}`, person);
    safeGit(hostile.repo, 'update-ref', '-d', `refs/heads/${branch}`);

    const third = await run('state-c');

    expect(third.code).toBe(1);
    expect(third.result?.status).toBe('failed');
    expect(third.result?.reason).toContain(`refusing to move branch "${branch}" on origin of repository`);
    expect(third.result?.reason).toContain(`git push origin --delete ${branch}`);
    expect(plainGit(hostile.origin, 'rev-parse', branch)).toBe(person);
    expect(hostile.markers.written()).toEqual([]);
  }, 60_000);
});
