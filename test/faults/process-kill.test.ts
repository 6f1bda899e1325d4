/**
 * `kill -9` of `cloudmend run` at the worst moment: the branch of a finding is written, its ledger
 * record not yet (test/local/crash.test.ts kills a run waiting for approvals). The run pushes to an
 * ssh origin with an `ssh` of the test's own on PATH that holds it there (cloudmend runs none of the
 * repository's hooks, so none can), so the kill lands at that point every time. The next run
 * continues the approved finding, finds the branch already holding the change, and finishes every
 * finding exactly once.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { World } from '../local/fixture.js';
import { bucketsEvent, bucketsWorld, branches, expectSettled, withLedger } from './support.js';

const ROOT = join(import.meta.dirname, '../..');
let world: World | undefined;
afterEach(() => {
  if (world) writeFileSync(join(world.root, 'release'), '');
  world?.cleanup();
  world = undefined;
});

/**
 * An `ssh` (first on the PATH it returns) that says in `held` that a push started, after the
 * branch moved and before the ledger hears of it, and waits for `release` (at most 30 s).
 */
async function holdAfterBranchWritten(w: World): Promise<{ held: string; release: string; path: string }> {
  const held = join(w.root, 'held');
  const release = join(w.root, 'release');
  const bin = join(w.root, 'bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'ssh'),
    `#!/bin/sh
touch '${held}'
i=0
while [ ! -e '${release}' ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
exit 1
`,
  );
  chmodSync(join(bin, 'ssh'), 0o755);
  await w.git('remote', 'add', 'origin', 'ssh://git.invalid/infra.git');
  return { held, release, path: [bin, process.env.PATH ?? ''].join(delimiter) };
}

describe('a run killed with SIGKILL right after it wrote a branch', () => {
  it('is continued by the next run: the branch is reused, and each finding has one branch, one pull request and one outcome per run', async () => {
    world = await bucketsWorld();
    const w = world;
    const events = join(w.root, 'events');
    mkdirSync(events);
    for (const name of ['a', 'b', 'c']) writeFileSync(join(events, `${name}.json`), JSON.stringify(bucketsEvent([name])));
    const args = ['run', events, '--config', w.configFile, '--state', w.state, '--repo', `infra=${w.repo}`, '--approve', 'auto'];
    const { held, release, path } = await holdAfterBranchWritten(w);

    const env = { ...process.env, PATH: path };
    const child = spawn(process.execPath, [join(ROOT, 'bin/cli.js'), ...args, '--push'], { cwd: w.root, env, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    for (let waited = 0; !existsSync(held); waited += 50) {
      if (waited > 40_000) throw new Error('the run never wrote a branch');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await exited;
    const [written] = await branches(w);
    const head = (await w.git('rev-parse', written ?? '')).trim();
    writeFileSync(release, '');
    // The killed run wrote one branch and left its finding in flight: approved, with no pull request recorded.
    const inFlight = await withLedger(w, async (ledger) => (await ledger.list({ limit: 10 })).map((r) => [r.state, r.data?.branch]));
    expect(inFlight).toEqual([['approved', undefined]]);

    // Its approval was decided and its run is gone: the next run continues it from the state kept
    // at the approval (the same approved patch), before its events; nothing is asked or claimed again.
    let stdout = '';
    const code = await main([...args, '--json'], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: w.root, env: {} });
    const report = JSON.parse(stdout) as {
      results: { file: string; fingerprint: string; status: string; branch: string | null; reason: string }[];
      recovered: string[];
    };
    expect(code).toBe(0);
    expect(report.recovered).toEqual([]);
    const [continued, ...others] = report.results;
    expect(continued).toMatchObject({ file: expect.stringMatching(/^approval apr_/) as unknown, status: 'pr_opened', branch: written });
    expect(continued?.reason).toMatch(/^already open, unchanged: /);
    expect(others.map((r) => [r.fingerprint === continued?.fingerprint, r.status])).toEqual(
      expect.arrayContaining([
        [true, 'duplicate'],
        [false, 'pr_opened'],
        [false, 'pr_opened'],
      ]) as unknown,
    );
    expect(others).toHaveLength(3);
    expect((await w.git('rev-parse', written ?? '')).trim()).toBe(head);
    expect(await branches(w)).toHaveLength(3);
    // The other two hold the invariants of every fault; the continued one is checked below (its run told two outcomes).
    await expectSettled(
      w,
      others.flatMap((r) => (r.fingerprint === continued?.fingerprint ? [] : [r.fingerprint])),
      { branches: (await branches(w)).filter((b) => b !== written) },
    );
    await withLedger(w, async (ledger) => {
      const trail = await ledger.auditTrail(continued?.fingerprint ?? '');
      // This run told two things of it: the approval carried out, then its event found done.
      expect(trail.filter((e) => e.type === 'outcome').map((e) => e.data?.status)).toEqual(['pr_opened', 'duplicate']);
      expect((await ledger.get(continued?.fingerprint ?? ''))?.state).toBe('pr_opened');
      expect(trail.filter((e) => e.type === 'claimed').map((e) => e.data?.attempts)).toEqual([1]);
      expect((await ledger.listApprovals()).filter((a) => a.fingerprint === continued?.fingerprint).map((a) => a.status)).toEqual([
        'approved',
      ]);
    });
  }, 60_000);
});
