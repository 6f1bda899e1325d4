/**
 * A burst: many buckets failing S3.8 in one Terraform repository, every event delivered three
 * times, plus a finding of another control. Planned, a repository's findings of any control are
 * one batch, and one resource's findings never span two. A batch is one work item: one execution,
 * one approval and one pull request holding every fix of every control; nothing is lost or doubled,
 * and running the burst again changes nothing.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/local/runtime.js';
import { smokeFinding } from '../../src/smoke/finding.js';
import { BATCH_DETAIL_TYPE } from '../../src/triggers/batch-event.js';
import { planBatches, skillCoverage } from '../../src/triggers/batching.js';
import { decideApproval } from '../../src/workflow/approvals.js';
import { ACCOUNT, asffFinding, importedEvent } from '../support/events.js';
import { makeWorld, type World } from './fixture.js';

type Json = ReturnType<typeof asffFinding>;

const BUCKETS = 24;
const bucketTf = (i: number): string => `resource "aws_s3_bucket" "b${i}" {\n  bucket = "acme-b${i}"\n}\n`;
const FILES = {
  'buckets.tf': Array.from({ length: BUCKETS }, (_, i) => bucketTf(i)).join('\n'),
  'tables.tf':
    'resource "aws_dynamodb_table" "sessions" {\n  name         = "sessions"\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n',
};

const s3 = (i: number, control = 'S3.8'): Json =>
  asffFinding({
    control,
    Id: `arn:aws:securityhub:us-east-1:${ACCOUNT}:finding/${control === 'S3.8' ? 's3' : control}-${i}`,
    Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::acme-b${i}`, Details: { AwsS3Bucket: { Name: `acme-b${i}` } } }],
  });
const table = (): Json =>
  asffFinding({
    control: 'DynamoDB.2',
    Id: `arn:aws:securityhub:us-east-1:${ACCOUNT}:finding/ddb-1`,
    Resources: [{ Type: 'AwsDynamoDbTable', Id: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/sessions` }],
  });

/** The burst: 3 events of 8 S3.8 findings and one with DynamoDB.2, each delivered 3 times. */
function burst(): Json[] {
  const events = [0, 1, 2].map((e) =>
    importedEvent(
      Array.from({ length: BUCKETS / 3 }, (_, k) => s3(e * (BUCKETS / 3) + k)),
      { id: `evt-${e}` },
    ),
  );
  events.push(importedEvent([table()], { id: 'evt-ddb' }));
  return [...events, ...events, ...events];
}

let world: World | undefined;
afterEach(() => {
  world?.cleanup();
  world = undefined;
});

async function runBurst(approve: 'auto' | 'approve-once' | 'reject-once', policy = 'policy: { default: pull_request }\n') {
  world ??= await makeWorld(`${policy}batching: { windowSeconds: 60, maxFindings: 100 }\n`, FILES);
  const w = world;
  const local = await w.open();
  try {
    const runtime = createRuntime({ context: local.ctx, approve: approve === 'auto' ? 'auto' : 'wait', pollMs: 20 });
    const plan = planBatches(burst(), w.config, {
      maxFindings: w.config.batching.maxFindings,
      batchable: await skillCoverage(w.config),
      now: new Date('2026-11-21T10:00:00Z'),
    });
    // A person deciding each request as it comes: one per batch.
    let done = false;
    const decider = (async () => {
      for (let decided = 0; !done && approve !== 'auto'; await new Promise((resolve) => setTimeout(resolve, 20))) {
        for (const request of w.approvals.slice(decided)) {
          await decideApproval(local.ctx.ledger, {
            id: request.approvalId,
            decision: approve === 'approve-once' ? 'approved' : 'rejected',
            actor: 'slack:U0OWNER',
            at: new Date(),
          });
          decided++;
        }
      }
    })();
    const results = [];
    for (const event of plan.executions) results.push(...(await runtime.run(event)).results);
    done = true;
    await decider;
    return { plan, results, ledger: local.ctx.ledger, local };
  } finally {
    await local.close();
  }
}

describe('batching a burst', () => {
  it('plans one execution per repository whatever the control, and drops redeliveries', async () => {
    world = await makeWorld('', FILES);
    const plan = planBatches(burst(), world.config, { maxFindings: 100, batchable: await skillCoverage(world.config), now: new Date() });
    expect(plan).toMatchObject({ groups: 1, batches: 1, passthrough: 0, duplicates: 2 * (BUCKETS + 1), split: 0 });
    expect(plan.executions.map((e) => (e as { 'detail-type': string })['detail-type'])).toEqual([BATCH_DETAIL_TYPE]);
    const small = planBatches(burst(), world.config, { maxFindings: 10, batchable: await skillCoverage(world.config), now: new Date() });
    expect(small).toMatchObject({ groups: 1, batches: 3 });
  });

  it('never batches a smoke test’s finding: it runs alone, named after its event', async () => {
    world = await makeWorld('', FILES);
    const smoke = smokeFinding('0123456789ab', world.config.repositories[0]!, new Date());
    const plan = planBatches([...burst(), smoke.event], world.config, {
      maxFindings: 100,
      batchable: await skillCoverage(world.config),
      now: new Date(),
    });
    expect(plan).toMatchObject({ groups: 1, batches: 1, passthrough: 1 });
    expect(plan.executions[1]).toMatchObject({
      id: 'cloudmend-smoke-0123456789ab',
      detail: { findings: [{ Id: expect.stringMatching(/S3\.8/) as string }] },
    });
    expect(JSON.stringify(plan.executions[0])).not.toContain('cloudmend-smoke');
  });

  it('keeps one resource’s findings (S3.4, S3.5, S3.8 on one bucket) in one batch, and plans every finding once', async () => {
    world = await makeWorld('', FILES);
    const batchable = await skillCoverage(world.config);
    const config = world.config;
    const controls = ['S3.4', 'S3.5', 'S3.8'];
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom(...controls)), { minLength: 1, maxLength: 8 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.integer({ min: 3, max: 5 }),
        (events, maxFindings) => {
          const input = events.map((pairs, e) =>
            importedEvent(
              pairs.map(([bucket, control]) => s3(bucket, control)),
              { id: `e${e}` },
            ),
          );
          const plan = planBatches(input, config, { maxFindings, batchable, now: new Date() });
          const batchOf = new Map<string, number>();
          const planned: string[] = [];
          plan.executions.forEach((x, batch) => {
            const inner = (x as { detail: { events: { detail: { findings: { Id: string; Resources: { Id: string }[] }[] } }[] } }).detail
              .events;
            for (const finding of inner.flatMap((e) => e.detail.findings)) {
              planned.push(finding.Id);
              const resource = finding.Resources[0]!.Id;
              expect(batchOf.get(resource) ?? batch).toBe(batch);
              batchOf.set(resource, batch);
            }
          });
          const distinct = new Set(events.flat().map(([bucket, control]) => `${control}-${bucket}`));
          expect(planned).toHaveLength(distinct.size);
          expect(new Set(planned).size).toBe(distinct.size);
          expect(plan).toMatchObject({ groups: 1, split: 0, passthrough: 0 });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('cuts only a resource whose findings alone exceed a batch, into batches of its own', async () => {
    world = await makeWorld('', FILES);
    const events = [importedEvent([s3(0, 'S3.4'), s3(1), s3(0, 'S3.5'), s3(0, 'S3.8')], { id: 'e0' })];
    const plan = planBatches(events, world.config, { maxFindings: 2, batchable: await skillCoverage(world.config), now: new Date() });
    expect(plan).toMatchObject({ groups: 1, batches: 3, split: 1 });
    const ids = plan.executions.map((x) =>
      (x as { detail: { events: { detail: { findings: { Id: string }[] } }[] } }).detail.events.flatMap((e) =>
        e.detail.findings.map((f) => f.Id),
      ),
    );
    expect(ids.map((batch) => batch.map((id) => id.split('/').at(-1)))).toEqual([['S3.4-0', 'S3.5-0'], ['s3-0'], ['s3-1']]);
  });

  it('fixes every bucket and the table of a batch of two controls in one branch, every finding pr_opened once', async () => {
    const { results } = await runBurst('auto');
    expect(results).toHaveLength(BUCKETS + 1);
    expect(new Set(results.map((r) => r.fingerprint)).size).toBe(BUCKETS + 1);
    expect(results.every((r) => r.status === 'pr_opened')).toBe(true);
    const branches = (await world!.git('branch', '--list', 'cloudmend/*'))
      .split('\n')
      .map((b) => b.trim())
      .filter(Boolean);
    expect(branches).toHaveLength(1);
    const [branch] = branches as [string];
    expect(branch).toMatch(/^cloudmend\/[a-z0-9.]+-batch-/);
    const fixed = await world!.git('show', `${branch}:buckets.tf`);
    expect(fixed.match(/resource "aws_s3_bucket_public_access_block"/g)).toHaveLength(BUCKETS);
    expect(await world!.git('show', `${branch}:tables.tf`)).toMatch(/point_in_time_recovery\s*\{\s*enabled\s*=\s*true/);
    expect(new Set(results.map((r) => r.branch))).toEqual(new Set([branch]));

    const again = await runBurst('auto');
    expect(again.results.every((r) => r.status === 'duplicate')).toBe(true);
    expect((await world!.git('branch', '--list', 'cloudmend/*')).split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('asks one approval per batch, and the decision holds for every finding of it', async () => {
    const policy = 'policy: { default: pull_request_with_approval }\n';
    const rejected = await runBurst('reject-once', `${policy}`);
    expect(world!.approvals.length).toBe(1);
    expect(world!.approvals[0]?.title).toMatch(/\(25 resources, one pull request\)$/);
    const s3 = rejected.results.filter((r) => r.controlId === 'S3.8');
    expect(s3.every((r) => r.status === 'rejected')).toBe(true);
    const reopened = await world!.open();
    try {
      const states = await Promise.all(s3.map(async (r) => (await reopened.ctx.ledger.get(r.fingerprint))?.state));
      expect(new Set(states)).toEqual(new Set(['rejected']));
    } finally {
      await reopened.close();
    }
  });

  it('opens the batch’s one pull request for every finding once its approval is given', async () => {
    const approved = await runBurst('approve-once', 'policy: { default: pull_request_with_approval }\n');
    expect(world!.approvals.length).toBe(1);
    expect(approved.results.every((r) => r.status === 'pr_opened' && r.approval?.by === 'slack:U0OWNER')).toBe(true);
    expect((await world!.git('branch', '--list', 'cloudmend/*')).split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('never loses or doubles a finding, whatever the events and their redeliveries', async () => {
    world = await makeWorld('', FILES);
    const batchable = await skillCoverage(world.config);
    const config = world.config;
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: BUCKETS - 1 }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 2, max: 5 }),
        (events, maxFindings) => {
          const input = events.map((buckets, e) =>
            importedEvent(
              buckets.map((b) => s3(b)),
              { id: `e${e}` },
            ),
          );
          const plan = planBatches(input, config, { maxFindings, batchable, now: new Date() });
          const planned = plan.executions.flatMap((x) => {
            const detail = (x as { detail: { events?: { detail: { findings: { Id: string }[] } }[]; findings?: { Id: string }[] } }).detail;
            return (detail.events ?? [{ detail: detail as { findings: { Id: string }[] } }]).flatMap((inner) =>
              inner.detail.findings.map((f) => f.Id),
            );
          });
          const distinct = new Set(events.flat());
          expect(planned.sort()).toEqual([...distinct].map((i) => `arn:aws:securityhub:us-east-1:${ACCOUNT}:finding/s3-${i}`).sort());
          expect(plan.duplicates).toBe(events.flat().length - distinct.size);
          expect(plan.batches).toBe(Math.ceil(distinct.size / maxFindings));
        },
      ),
      { numRuns: 40 },
    );
  });
});
