/**
 * `kill -9` of `cloudmend run` at the worst moment: the branch of a finding is written, its ledger
 * record not yet (test/local/crash.test.ts kills a run waiting for approvals). A git hook holds the
 * run there, so the kill lands at that point every time. The next run recovers the finding, finds
 * the branch already holding the change, and finishes every finding exactly once.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
 * A reference-transaction hook that, once a `cloudmend/*` branch is committed, says so in `held`
 * and waits for `release` (at most 30 s): the process that ran git is stopped just after the branch
 * moved and before the ledger hears of it.
 */
function holdAfterBranchWritten(w: World): { held: string; release: string } {
  const held = join(w.root, 'held');
  const release = join(w.root, 'release');
  const hook = join(w.repo, '.git', 'hooks', 'reference-transaction');
  writeFileSync(
    hook,
    `#!/bin/sh
[ "$1" = committed ] || exit 0
grep -q ' refs/heads/cloudmend/' || exit 0
[ -e '${release}' ] && exit 0
touch '${held}'
i=0
while [ ! -e '${release}' ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
exit 0
`,
  );
  chmodSync(hook, 0o755);
  return { held, release };
}

describe('a run killed with SIGKILL right after it wrote a branch', () => {
  it('is finished by the next run: the branch is reused, and each finding has one branch, one pull request and one outcome per run', async () => {
    world = await bucketsWorld();
    const w = world;
    const events = join(w.root, 'events');
    mkdirSync(events);
    for (const name of ['a', 'b', 'c']) writeFileSync(join(events, `${name}.json`), JSON.stringify(bucketsEvent([name])));
    const args = ['run', events, '--config', w.configFile, '--state', w.state, '--repo', `infra=${w.repo}`, '--approve', 'auto'];
    const { held, release } = holdAfterBranchWritten(w);

    const child = spawn(process.execPath, [join(ROOT, 'bin/cli.js'), ...args], { cwd: w.root, stdio: 'ignore' });
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

    let stdout = '';
    const code = await main([...args, '--json'], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: w.root, env: {} });
    const report = JSON.parse(stdout) as { results: { fingerprint: string; status: string; branch: string | null; reason: string }[]; recovered: string[] };
    expect(code).toBe(0);
    expect(report.recovered).toHaveLength(1);
    expect(report.results.map((r) => r.status)).toEqual(['pr_opened', 'pr_opened', 'pr_opened']);
    const reused = report.results.find((r) => r.branch === written);
    expect(reused?.reason).toMatch(/^already open, unchanged: /);
    expect((await w.git('rev-parse', written ?? '')).trim()).toBe(head);
    expect(await branches(w)).toHaveLength(3);
    await expectSettled(w, report.results.map((r) => r.fingerprint));
    await withLedger(w, async (ledger) => {
      const recovered = await ledger.auditTrail(report.recovered[0] ?? '');
      expect(recovered.filter((e) => e.type === 'claimed').map((e) => e.data?.attempts)).toEqual([1, 2]);
      expect((await ledger.listApprovals()).filter((a) => a.fingerprint === report.recovered[0]).map((a) => a.status)).toEqual(['approved', 'approved']);
    });
  }, 60_000);
});
