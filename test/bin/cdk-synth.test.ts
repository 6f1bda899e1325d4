/**
 * `npx cdk synth` as a newcomer runs it: a bad config fails with the reason and no stack trace, and
 * the connection watch the synth runs under can see a connection attempt. The synth of the real
 * stack is `test/lib/checks.test.ts`'s, once per run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isolated, synth, watchedEnvironment } from '../support/cdk-synth.js';

const work = mkdtempSync(join(tmpdir(), 'cloudmend-synth-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

if (!isolated)
  console.log('cdk synth runs without a network namespace: unshare -rn is not permitted here (the connection watch still applies)');

describe('npx cdk synth', () => {
  it('would notice a connection attempt (the watch can fail)', () => {
    const netLog = join(work, 'control.log');
    writeFileSync(netLog, '');
    spawnSync(process.execPath, ['-e', "try { require('node:net').connect(443, 'registry.npmjs.org') } catch {}"], {
      env: watchedEnvironment(netLog),
    });
    expect(readFileSync(netLog, 'utf8')).toMatch(/connect registry\.npmjs\.org:443/);
  });

  it('fails on a config it cannot deploy, saying why, without a stack trace', () => {
    const config = join(work, 'local.yaml');
    writeFileSync(
      config,
      'version: 1\nrepositories:\n  - name: infra\n    location: repos/infra\n    iac: terraform\n    owns: { accounts: ["111122223333"] }\n',
    );
    const run = synth(work, ['-c', 'region=eu-west-1', '-c', `config=${config}`, '-o', join(work, 'bad.out')]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('cloudmend: Cloudmend cannot be built:');
    expect(run.stderr).toContain('repositories[0] (infra) uses provider local');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 180_000);
});
