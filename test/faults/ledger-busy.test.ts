/**
 * The SQLite ledger held by another process (`BEGIN EXCLUSIVE` in a child process, as a second
 * `cloudmend` writing, or a backup tool, would hold it) while the real remediate workflow runs: a
 * write that outwaits the busy timeout is retried by the state machine, and nothing is doubled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { PullRequests } from '../../src/scm/port.js';
import type { StepEvent } from '../../src/local/runtime.js';
import type { TaskContext } from '../../src/workflow/context.js';
import type { World } from '../local/fixture.js';
import { bucketsEvent, bucketsWorld, expectSettled, runOnce, statesOf, statuses, withLedger, type FaultRun } from './support.js';

const ROOT = join(import.meta.dirname, '../..');
const BUSY_TIMEOUT_MS = 50;
const RETRY_INTERVAL_MS = 60;

// The child takes the write lock, says so, and commits when told on stdin (or after `ms`).
const HOLDER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.exec('BEGIN EXCLUSIVE');
process.stdout.write('locked\\n');
const release = () => { db.exec('COMMIT'); db.close(); process.exit(0); };
setTimeout(release, Number(process.argv[2]));
process.stdin.on('data', release);
`;

let world: World | undefined;
const holders: ChildProcess[] = [];
afterEach(() => {
  for (const h of holders.splice(0)) h.kill('SIGKILL');
  world?.cleanup();
  world = undefined;
});

interface Holder {
  readonly child: ChildProcess;
  release(): void;
}

/** Another process holding the ledger's write lock until released (or for `ms`); resolves once it holds it. */
async function holdLock(w: World, ms = 20_000): Promise<Holder> {
  const child = spawn(process.execPath, ['-e', HOLDER, join(w.state, 'ledger.db'), String(ms)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  holders.push(child);
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  expect(chunk.toString()).toBe('locked\n');
  child.stdin.on('error', () => undefined); // it may have exited on its own timer
  let told = false;
  const release = (): void => {
    if (told) return;
    told = true;
    child.stdin.write('release\n');
  };
  return { child, release };
}

const isBusy = (e: StepEvent): boolean =>
  e.status === 'error' && /^cloudmend\.Transient: another cloudmend process holds the ledger/.test(e.detail ?? '');

/**
 * The run's context on a ledger connection that gives up after a short busy wait. The first busy
 * error releases `holder`, while the failing step still has retries left.
 */
async function run(w: World, holder: () => Holder | undefined, wrap: (ctx: TaskContext) => TaskContext = (ctx) => ctx): Promise<FaultRun> {
  const ledger = openSqliteLedger({ path: join(w.state, 'ledger.db'), busyTimeoutMs: BUSY_TIMEOUT_MS });
  try {
    return await runOnce(w, bucketsEvent(), {
      retryIntervalMs: RETRY_INTERVAL_MS,
      wrap: (ctx) => wrap({ ...ctx, ledger }),
      onStep: (e) => (isBusy(e) ? holder()?.release() : undefined),
    });
  } finally {
    await ledger.close();
  }
}

const busyErrors = (r: FaultRun): StepEvent[] => r.steps.filter(isBusy);

/** Creates the ledger file, so another process can lock it before the run. */
async function createLedger(w: World): Promise<void> {
  await (await w.open()).close();
}

describe('a ledger another process holds', () => {
  it('is waited out before the claims: every finding is claimed once and ends pr_opened', async () => {
    world = await bucketsWorld();
    await createLedger(world);
    const holder = await holdLock(world);
    const r = await run(world, () => holder);

    expect(r.out.error).toBeUndefined();
    expect(Object.values(statuses(r))).toEqual(['pr_opened', 'pr_opened', 'pr_opened']);
    expect(busyErrors(r).map((s) => s.step)).toContain('Claim');
    const fps = r.out.results.map((x) => x.fingerprint);
    await expectSettled(world, fps);
    await withLedger(world, async (ledger) => {
      for (const fp of fps) expect((await ledger.auditTrail(fp)).filter((e) => e.type === 'claimed')).toHaveLength(1);
    });
  });

  it('is waited out in the middle of the run, when the pull requests are recorded', async () => {
    world = await bucketsWorld();
    const w = world;
    // Once all three findings are opening their pull requests, another process takes the lock.
    let holder: Holder | undefined;
    const barrier = (port: PullRequests): PullRequests => {
      let waiting = 0;
      let locked: Promise<unknown> | undefined;
      let go: () => void = () => undefined;
      const all = new Promise<void>((resolve) => (go = resolve));
      return {
        ...port,
        async open(input) {
          waiting += 1;
          if (waiting === 3) {
            locked = holdLock(w).then((h) => (holder = h));
            go();
          }
          await all;
          await locked;
          return port.open(input);
        },
      };
    };
    const r = await run(
      world,
      () => holder,
      (ctx) => ({ ...ctx, pullRequests: barrier(ctx.pullRequests) }),
    );

    expect(r.out.error).toBeUndefined();
    expect(Object.values(statuses(r))).toEqual(['pr_opened', 'pr_opened', 'pr_opened']);
    expect(busyErrors(r).map((s) => s.step)).toContain('OpenPullRequest');
    await expectSettled(
      world,
      r.out.results.map((x) => x.fingerprint),
    );
  });

  it('fails the event as a whole when held past every retry, claims nothing, and the next run completes it', async () => {
    world = await bucketsWorld();
    await createLedger(world);
    const holder = await holdLock(world);
    const r = await run(world, () => undefined);
    holder.release();
    await once(holder.child, 'exit');

    expect(r.out.error?.Cause ?? '').toMatch(/another cloudmend process holds the ledger/);
    expect(r.out.results).toEqual([]);
    const again = await runOnce(world, bucketsEvent());
    const fps = again.out.results.map((x) => x.fingerprint);
    expect(Object.values(statuses(again))).toEqual(['pr_opened', 'pr_opened', 'pr_opened']);
    expect(await statesOf(world, fps)).toEqual(['pr_opened', 'pr_opened', 'pr_opened']);
    await expectSettled(world, fps);
  });
});
