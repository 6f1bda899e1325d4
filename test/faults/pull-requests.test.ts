/**
 * Faults of the pull-request host, through the real remediate workflow: a port that fails
 * transiently a few times or for good, and the real GitHub adapter against the fake GitHub server
 * answering 5xx, rate limits and lost answers in the middle of a run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isReclaimable, type FindingState } from '../../src/ledger/states.js';
import { githubOctokit } from '../../src/scm/github-auth.js';
import { githubPullRequests } from '../../src/scm/github.js';
import type { PullRequests } from '../../src/scm/port.js';
import { aslText } from '../../src/workflow/asl.js';
import { TransientError } from '../../src/workflow/errors.js';
import type { World } from '../local/fixture.js';
import { FakeGitHub, REPOSITORIES, TOKEN, error } from '../scm/github-fake.js';
import { attempts, bucketsEvent, bucketsTf, bucketsWorld, expectSettled, runOnce, statesOf, statuses, withLedger } from './support.js';

let world: World | undefined;
let fake: FakeGitHub | undefined;
afterEach(async () => {
  world?.cleanup();
  await fake?.close();
  world = undefined;
  fake = undefined;
});

function aslState(name: string): { Retry?: { ErrorEquals: string[]; MaxAttempts: number }[] } {
  const asl = JSON.parse(aslText('remediate')) as { States: { Findings: { ItemProcessor: { States: Record<string, never> } } } };
  return asl.States.Findings.ItemProcessor.States[name]!;
}

/** The port, failing its first `times` calls for each branch with `failure()`. */
function failing(port: PullRequests, times: number, failure: () => Error): PullRequests & { readonly calls: Map<string, number> } {
  const calls = new Map<string, number>();
  return {
    ...port,
    calls,
    open(input) {
      const n = (calls.get(input.branch) ?? 0) + 1;
      calls.set(input.branch, n);
      return n <= times ? Promise.reject(failure()) : port.open(input);
    },
  };
}

/** The first call and the MaxAttempts of OpenPullRequest's cloudmend.Transient retrier in the remediate ASL. */
const ASL_ATTEMPTS = 1 + (aslState('OpenPullRequest').Retry ?? []).find((r) => r.ErrorEquals.includes('cloudmend.Transient'))!.MaxAttempts;

describe('a pull-request host failing transiently', () => {
  it('is retried by the state machine: every finding ends pr_opened, once', async () => {
    world = await bucketsWorld();
    let port: ReturnType<typeof failing> | undefined;
    const run = await runOnce(world, bucketsEvent(), {
      wrap: (ctx) => ({ ...ctx, pullRequests: (port = failing(ctx.pullRequests, 2, () => new TransientError('HTTP 502 from the host'))) }),
    });

    expect(Object.values(statuses(run))).toEqual(['pr_opened', 'pr_opened', 'pr_opened']);
    expect([...(port?.calls.values() ?? [])]).toEqual([3, 3, 3]);
    for (const r of run.out.results) expect(attempts(run, 'OpenPullRequest', r.fingerprint)).toBe(3);
    await expectSettled(
      world,
      run.out.results.map((r) => r.fingerprint),
    );
  });

  it('fails the findings, claimable again, when it never recovers; the next run opens each once', async () => {
    world = await bucketsWorld();
    const broken = await runOnce(world, bucketsEvent(), {
      wrap: (ctx) => ({ ...ctx, pullRequests: failing(ctx.pullRequests, Infinity, () => new TransientError('HTTP 503 from the host')) }),
    });
    const fps = broken.out.results.map((r) => r.fingerprint);

    expect(broken.out.results).toHaveLength(3);
    for (const r of broken.out.results) {
      expect(r).toMatchObject({ status: 'failed', reason: 'cloudmend.Transient: HTTP 503 from the host', branch: null });
      expect(attempts(broken, 'OpenPullRequest', r.fingerprint)).toBe(ASL_ATTEMPTS);
    }
    const states = await statesOf(world, fps);
    expect(states.every((s) => s !== undefined && isReclaimable(s))).toBe(true);
    await expectSettled(world, fps);

    const again = await runOnce(world, bucketsEvent());
    expect(statuses(again)).toEqual(Object.fromEntries(fps.map((fp) => [fp, 'pr_opened'])));
    await expectSettled(world, fps);
    await withLedger(world, async (ledger) => {
      for (const fp of fps)
        expect((await ledger.auditTrail(fp)).filter((e) => e.type === 'claimed').map((e) => e.data?.attempts)).toEqual([1, 2]);
    });
  });
});

describe('the GitHub adapter against a GitHub answering 5xx, rate limits and lost answers', () => {
  async function githubWorld(): Promise<FakeGitHub> {
    world = await bucketsWorld();
    fake = await FakeGitHub.start();
    fake.commit('main', { 'storage.tf': bucketsTf() });
    return fake;
  }
  // One retry in process, short waits and timeouts: the rest is the state machine's retry.
  const github = (f: FakeGitHub): PullRequests =>
    githubPullRequests({
      octokit: githubOctokit({ auth: { token: TOKEN }, baseUrl: f.url }),
      repositories: REPOSITORIES,
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 50, timeoutMs: 300 },
    });
  const cloudmendRefs = (f: FakeGitHub): string[] => [...f.refs.keys()].filter((r) => r.startsWith('refs/heads/cloudmend/'));

  it('opens one pull request per finding, whatever failed on the way', async () => {
    const f = await githubWorld();
    f.fail('POST', /\/git\/blobs$/, 2, error(403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0', 'retry-after': '60' }));
    f.fail('POST', /\/git\/trees$/, 3, error(502, 'Server Error'));
    f.fail('POST', /\/git\/refs$/, 1, 'lost');
    f.fail('GET', /\/pulls$/, 2, error(503, 'Service Unavailable'));
    f.fail('POST', /\/pulls$/, 1, 'lost');
    f.fail('POST', /\/issues\/\d+\/labels$/, 1, error(429, 'Too many requests', { 'retry-after': '60' }));

    const run = await runOnce(world!, bucketsEvent(), { wrap: (ctx) => ({ ...ctx, pullRequests: github(f) }) });
    const fps = run.out.results.map((r) => r.fingerprint);

    expect(Object.values(statuses(run))).toEqual(['pr_opened', 'pr_opened', 'pr_opened']);
    // Every injected failure was met: 8 error answers and 2 lost ones.
    const injected = f.exchanges
      .map((e) => (e.response === 'hang' ? 'lost' : e.response.status))
      .filter((s) => s === 'lost' || [403, 429, 502, 503].includes(s));
    expect(injected.map(String).sort()).toEqual(['403', '403', '429', '502', '502', '502', '503', '503', 'lost', 'lost']);
    expect(run.steps.some((s) => s.step === 'OpenPullRequest' && s.status === 'retry')).toBe(true);
    expect(f.pulls).toHaveLength(3);
    expect(new Set(f.pulls.map((p) => p.head)).size).toBe(3);
    expect(cloudmendRefs(f)).toHaveLength(3);
    for (const p of f.pulls) expect(p.labels).toEqual(['cloudmend', 'S3.8']);
    await withLedger(world!, async (ledger) => {
      const ids = (await Promise.all(fps.map((fp) => ledger.pullRequestsFor(fp)))).map((prs) => prs.map((p) => p.id));
      expect(ids.flat().sort()).toEqual(['github:acme/infra#1', 'github:acme/infra#2', 'github:acme/infra#3']);
    });
    await expectSettled(world!, fps, { branches: cloudmendRefs(f).map((r) => r.slice('refs/heads/'.length)) });
  });

  it('fails the findings while GitHub is down, and the next run opens each once', async () => {
    const f = await githubWorld();
    f.fail('POST', /\/pulls$/, Infinity, error(503, 'Service Unavailable'));
    const down = await runOnce(world!, bucketsEvent(), { wrap: (ctx) => ({ ...ctx, pullRequests: github(f) }) });
    const fps = down.out.results.map((r) => r.fingerprint);
    expect(down.out.results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    for (const r of down.out.results) expect(r.reason).toMatch(/^cloudmend\.Transient: .*503/);
    expect((await statesOf(world!, fps)).every((s) => isReclaimable(s as FindingState))).toBe(true);
    // The branches were written before the pull requests failed; the next run reuses them.
    const written = cloudmendRefs(f).map((r) => [r, f.refs.get(r)]);
    expect(written).toHaveLength(3);

    f.heal();
    const back = await runOnce(world!, bucketsEvent(), { wrap: (ctx) => ({ ...ctx, pullRequests: github(f) }) });
    expect(back.out.results.map((r) => r.status)).toEqual(['pr_opened', 'pr_opened', 'pr_opened']);
    for (const r of back.out.results) expect(r.reason).toMatch(/: github:acme\/infra#\d$/);
    expect(f.pulls).toHaveLength(3);
    expect(cloudmendRefs(f).map((r) => [r, f.refs.get(r)])).toEqual(written);
    await expectSettled(world!, fps, { branches: cloudmendRefs(f).map((r) => r.slice('refs/heads/'.length)) });
  });
});
