/**
 * `npx cdk synth` as a newcomer runs it: offline, with no network connection attempted (every Node
 * process of the run is watched, and the run is in a network namespace without network where the
 * OS allows), producing the template; a bad config fails with the reason and no stack trace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/project.js';

const work = mkdtempSync(join(tmpdir(), 'cloudmend-synth-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const isolated = spawnSync('unshare', ['-rn', 'true']).status === 0;
if (!isolated) console.log('cdk synth runs without a network namespace: unshare -rn is not permitted here (the connection watch still applies)');

function synth(args: string[]): { status: number | null; stdout: string; stderr: string; seconds: number; network: string } {
  const netLog = join(work, `net-${Math.random().toString(16).slice(2)}.log`);
  writeFileSync(netLog, '');
  const command = ['npx', 'cdk', 'synth', '-q', ...args];
  const started = Date.now();
  const run = isolated
    ? spawnSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up 2>/dev/null; exec "$@"', 'sh', ...command], { cwd: PROJECT_ROOT, encoding: 'utf8', env: envWith(netLog) })
    : spawnSync(command[0]!, command.slice(1), { cwd: PROJECT_ROOT, encoding: 'utf8', env: envWith(netLog) });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, seconds: (Date.now() - started) / 1000, network: readFileSync(netLog, 'utf8') };
}

function envWith(netLog: string): NodeJS.ProcessEnv {
  // No account or profile: the synth a newcomer runs, with no credentials to look anything up with.
  const env = { ...process.env };
  delete env.CDK_DEFAULT_ACCOUNT;
  delete env.AWS_PROFILE;
  return { ...env, NODE_OPTIONS: `--require ${join(PROJECT_ROOT, 'test/support/no-network.cjs')}`, CLOUDMEND_NET_LOG: netLog, CI: 'true' };
}

describe('npx cdk synth', () => {
  it('synthesizes the stack offline with no network connection attempted', () => {
    const out = join(work, 'cdk.out');
    const run = synth(['-o', out]);
    console.log(`cdk synth took ${run.seconds.toFixed(1)} s${isolated ? ' in a network namespace without network' : ''}`);
    expect(run.stderr).not.toMatch(/Error|ERROR/);
    expect(run.status).toBe(0);
    expect(run.network).toBe('');
    expect(existsSync(join(out, 'Cloudmend.template.json'))).toBe(true);
  }, 180_000);

  it('would notice a connection attempt (the watch can fail)', () => {
    const netLog = join(work, 'control.log');
    writeFileSync(netLog, '');
    spawnSync(process.execPath, ['-e', "try { require('node:net').connect(443, 'registry.npmjs.org') } catch {}"], { env: envWith(netLog) });
    expect(readFileSync(netLog, 'utf8')).toMatch(/connect registry\.npmjs\.org:443/);
  });

  it('fails on a config it cannot deploy, saying why, without a stack trace', () => {
    const config = join(work, 'local.yaml');
    writeFileSync(config, 'version: 1\nrepositories:\n  - name: infra\n    location: repos/infra\n    iac: terraform\n    owns: { accounts: ["111122223333"] }\n');
    const run = synth(['-c', `config=${config}`, '-o', join(work, 'bad.out')]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('cloudmend: Cloudmend cannot be built:');
    expect(run.stderr).toContain('repositories[0] (infra) uses provider local');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 180_000);
});
