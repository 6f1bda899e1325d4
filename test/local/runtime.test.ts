/**
 * End to end through the real ASL: statemachines/remediate.asl.json executed by the embedded
 * interpreter, every task the production function, a real git repository as the PR target.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { createRuntime, type StepEvent } from '../../src/local/runtime.js';
import type { PullRequests } from '../../src/scm/port.js';
import type { TaskContext } from '../../src/workflow/context.js';
import { TransientError } from '../../src/workflow/errors.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { makeWorld, type World } from './fixture.js';

let world: World | undefined;
afterEach(() => world?.cleanup());

const bucketEvent = (name = 'acme-logs', overrides: Record<string, unknown> = {}) =>
  importedEvent([asffFinding({ Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${name}` }], ...overrides })]);

async function run(
  w: World,
  event: unknown,
  options: { approve?: 'auto' | 'reject' | 'wait'; wrap?: (ctx: TaskContext) => TaskContext } = {},
) {
  const local = await w.open();
  const steps: StepEvent[] = [];
  try {
    const ctx = options.wrap ? options.wrap(local.ctx) : local.ctx;
    const runtime = createRuntime({ context: ctx, approve: options.approve ?? 'auto', onStep: (e) => steps.push(e), pollMs: 20 });
    return { out: await runtime.run(event), steps };
  } finally {
    await local.close();
  }
}

function flaky(pullRequests: PullRequests, failures: Error[]): PullRequests {
  return {
    ...pullRequests,
    open: (input) => (failures.length > 0 ? Promise.reject(failures.shift() ?? new Error('x')) : pullRequests.open(input)),
  };
}

describe('remediate workflow, run locally', () => {
  it('opens a verified pull-request branch after approval, without touching the working tree', async () => {
    world = await makeWorld();
    const { out } = await run(world, bucketEvent());
    expect(out.error).toBeUndefined();
    expect(out.results).toEqual([
      expect.objectContaining({
        controlId: 'S3.8',
        status: 'pr_opened',
        skill: 's3-block-public-access',
        files: ['storage.tf'],
        approval: expect.objectContaining({ decision: 'approved' }) as unknown,
      }),
    ]);
    const branch = out.results[0]?.branch ?? '';
    expect(branch).toMatch(/^cloudmend\/s3\.8-[0-9a-f]{16}$/);
    expect(await world.git('show', `${branch}:storage.tf`)).toContain('resource "aws_s3_bucket_public_access_block" "logs"');
    expect(await world.git('status', '--porcelain')).toBe('');
    expect((await world.git('rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe('main');
    expect(world.approvals.map((a) => a.controlId)).toEqual(['S3.8']);
  });

  it('reports the same event again as a duplicate and opens no second branch', async () => {
    world = await makeWorld();
    const first = await run(world, bucketEvent());
    const head = await world.git('rev-parse', first.out.results[0]?.branch ?? '');
    const second = await run(world, bucketEvent());
    expect(second.out.results.map((r) => r.status)).toEqual(['duplicate']);
    expect(await world.git('rev-parse', first.out.results[0]?.branch ?? '')).toBe(head);
    expect((await world.git('branch', '--list', 'cloudmend/*')).trim().split('\n')).toHaveLength(1);
  });

  it('records a rejection and opens nothing', async () => {
    world = await makeWorld();
    const { out } = await run(world, bucketEvent(), { approve: 'reject' });
    expect(out.results).toEqual([expect.objectContaining({ status: 'rejected', branch: null })]);
    expect(await world.git('branch', '--list', 'cloudmend/*')).toBe('');
    const ledger = openSqliteLedger({ path: `${world.state}/ledger.db` });
    expect((await ledger.get(out.results[0]?.fingerprint ?? ''))?.state).toBe('rejected');
    await ledger.close();
  });

  it('retries a transient failure with backoff and succeeds (the Retry path)', async () => {
    world = await makeWorld();
    const { out, steps } = await run(world, bucketEvent(), {
      wrap: (ctx) => ({ ...ctx, pullRequests: flaky(ctx.pullRequests, [new TransientError('git ref is locked')]) }),
    });
    expect(out.results.map((r) => r.status)).toEqual(['pr_opened']);
    expect(steps).toContainEqual(
      expect.objectContaining({ step: 'OpenPullRequest', status: 'error', detail: 'cloudmend.Transient: git ref is locked' }),
    );
    expect(steps).toContainEqual(expect.objectContaining({ step: 'OpenPullRequest', status: 'ok' }));
  });

  it('retries a throttled OpenPullRequest past a short retry budget and opens the pull request', async () => {
    world = await makeWorld();
    // Lambda refuses an invocation past the reserved concurrency that every execution shares; five
    // refusals outlast a budget of four retries.
    const throttles = Array.from({ length: 5 }, () =>
      Object.assign(new Error('Rate Exceeded.'), { name: 'Lambda.TooManyRequestsException' }),
    );
    const { out, steps } = await run(world, bucketEvent(), {
      wrap: (ctx) => ({ ...ctx, pullRequests: flaky(ctx.pullRequests, throttles) }),
    });
    expect(out.results.map((r) => r.status)).toEqual(['pr_opened']);
    expect(steps.filter((s) => s.step === 'OpenPullRequest' && s.status === 'error')).toHaveLength(5);
  });

  it('catches a hard failure, records the finding as failed, and a later run takes it again (the Catch path)', async () => {
    world = await makeWorld();
    const broken = await run(world, bucketEvent(), {
      wrap: (ctx) => ({ ...ctx, pullRequests: flaky(ctx.pullRequests, [new Error('disk full')]) }),
    });
    expect(broken.out.results).toEqual([expect.objectContaining({ status: 'failed', reason: 'Error: disk full' })]);
    const again = await run(world, bucketEvent());
    expect(again.out.results.map((r) => r.status)).toEqual(['pr_opened']);
  });

  it('waits for a decision made from another process and continues', async () => {
    world = await makeWorld();
    const w = world;
    const decider = (async () => {
      const ledger = openSqliteLedger({ path: `${w.state}/ledger.db` });
      for (;;) {
        const [pending] = await ledger.listApprovals({ status: 'pending' });
        if (pending) {
          const { decideApproval } = await import('../../src/workflow/approvals.js');
          await decideApproval(ledger, { id: pending.id, decision: 'approved', actor: 'cli:alice', at: new Date() });
          break;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      await ledger.close();
    })();
    const { out } = await run(w, bucketEvent(), { approve: 'wait' });
    await decider;
    expect(out.results).toEqual([
      expect.objectContaining({ status: 'pr_opened', approval: expect.objectContaining({ by: 'cli:alice' }) as unknown }),
    ]);
  });

  it('expires an approval nobody decides before the timeout', async () => {
    world = await makeWorld('approvals:\n  timeout: 1s\n');
    const { out } = await run(world, bucketEvent(), { approve: 'wait' });
    expect(out.results).toEqual([expect.objectContaining({ status: 'expired', branch: null })]);
  });

  it.each([
    ['no_target', bucketEvent('not-in-the-code')],
    [
      'needs_model',
      importedEvent([
        asffFinding({
          control: 'EC2.6',
          Title: 'VPC flow logging should be enabled in all VPCs',
          Resources: [{ Type: 'AwsEc2Vpc', Id: 'arn:aws:ec2:us-east-1:111122223333:vpc/vpc-1', Tags: { Name: 'main' } }],
        }),
      ]),
    ],
    ['skipped', bucketEvent('acme-logs', { Workflow: { Status: 'RESOLVED' } })],
  ])('ends a finding the workflow cannot fix as %s, recorded', async (status, event) => {
    world = await makeWorld();
    const { out } = await run(world, event);
    expect(out.results.map((r) => r.status)).toEqual([status]);
    expect(out.results[0]?.reason).toMatch(/\w/);
  });

  it('keeps the patch as a recommendation for tier recommend', async () => {
    world = await makeWorld('policy:\n  default: recommend\n');
    const { out } = await run(world, bucketEvent());
    expect(out.results).toEqual([expect.objectContaining({ status: 'recommended', skill: 's3-block-public-access', branch: null })]);
  });

  it('fails a malformed event as a whole, with the reason', async () => {
    world = await makeWorld();
    const { out } = await run(world, { 'detail-type': 'Security Hub Findings - Imported', source: 'aws.securityhub' });
    expect(out.error).toEqual({
      Error: 'cloudmend.InvalidEvent',
      Cause: expect.stringMatching(/not a valid EventBridge event: id: /) as unknown,
    });
  });
});
