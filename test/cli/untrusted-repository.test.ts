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

let root: string | undefined;
afterEach(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

function exampleFiles(): Record<string, string> {
  return Object.fromEntries(readdirSync(EXAMPLE).map((name) => [name, readFileSync(join(EXAMPLE, name), 'utf8')]));
}

interface Report {
  readonly results: { status: string; branch?: string; reason: string }[];
}

/** `run <event> --repo <repo> --push --approve auto`, with a config that turns the validators and the model off. */
function runArguments(dir: string, hostile: HostileRepository): string[] {
  const config = join(dir, 'cloudmend.config.yaml');
  writeFileSync(config, 'version: 1\nvalidators:\n  terraform: { mode: off }\n  cfnLint: { mode: off }\nmodel: { provider: none }\n');
  return ['run', EVENT, '--repo', hostile.repo, '--push', '--approve', 'auto', '--config', config, '--state', join(dir, 'state'), '--json'];
}

describe('cloudmend run --push on a hostile target repository', () => {
  it('pushes the pull-request branch with the fix to origin and starts none of the programs the repository configures', async () => {
    root = mkdtempSync(join(tmpdir(), 'cloudmend-hostile-'));
    const hostile = hostileRepository(root, exampleFiles());

    // As a user runs it, in an environment without the user's or the test runner's git settings.
    const env = { PATH: process.env.PATH ?? '', HOME: root, LANG: 'C' };
    const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'bin/cli.js'), ...runArguments(root, hostile)], { cwd: root, env, encoding: 'utf8' });

    expect(hostile.markers.written()).toEqual([]);
    const [result] = (JSON.parse(stdout) as Report).results;
    expect(result).toMatchObject({ status: 'pr_opened', branch: expect.stringMatching(/^cloudmend\/s3\.8-/) as unknown });
    const branch = result?.branch ?? '';
    expect(plainGit(hostile.origin, 'rev-parse', branch)).toBe(plainGit(hostile.repo, 'rev-parse', branch));
    expect(plainGit(hostile.origin, 'show', `${branch}:storage.tf`)).toContain('resource "aws_s3_bucket_public_access_block" "access_logs"');
  }, 60_000);

  it('refuses an ext:: origin with a message saying what to do, and runs nothing', async () => {
    root = mkdtempSync(join(tmpdir(), 'cloudmend-hostile-'));
    const hostile = hostileRepository(root, exampleFiles());
    appendConfig(join(hostile.repo, '.git', 'config'), `[remote "origin"]\n\tpushurl = ext::${hostile.markers.program('ext-remote')}`);

    let stdout = '';
    const code = await main(runArguments(root, hostile), { stdout: (text) => (stdout += text), stderr: () => undefined, cwd: root, env: {} });

    expect(hostile.markers.written()).toEqual([]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as Report;
    expect(report.results[0]).toMatchObject({ status: 'failed' });
    expect(report.results[0]?.reason).toMatch(/refusing to push to origin of repository .*: its URL "ext::.*" is not https, ssh or a local path .*set origin to an https or ssh URL/);
    expect(plainGit(hostile.origin, 'for-each-ref', 'refs/heads/cloudmend/')).toBe('');
  }, 60_000);
});
