/**
 * A smoke test's finding through the workflow with the config unchanged, as a deployed stack runs
 * it: its fix is read from and based on the run's scratch branch only when the ledger records the
 * run, unexpired, for the repository routing chose. The event never chooses a branch.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmokeRun } from '../../src/ledger/port.js';
import { createRuntime } from '../../src/local/runtime.js';
import { explainEvent } from '../../src/policy/explain.js';
import { predictRun } from '../../src/workflow/predict.js';
import { smokeFinding, type SmokeFinding } from '../../src/smoke/finding.js';
import { makeWorld, type World } from './fixture.js';

const HOUR = 3_600_000;
let world: World;
beforeAll(async () => {
  world = await makeWorld('policy: { default: pull_request }\n');
});
afterAll(() => world.cleanup());

/** Smoke run `runId`'s finding, its scratch file committed on its scratch branch (main untouched). */
async function scratch(runId: string): Promise<SmokeFinding> {
  const smoke = smokeFinding(runId, world.config.repositories[0]!, new Date());
  await world.git('switch', '--quiet', '--create', smoke.branch);
  mkdirSync(dirname(join(world.repo, smoke.file.path)), { recursive: true });
  writeFileSync(join(world.repo, smoke.file.path), smoke.file.content);
  await world.git('add', smoke.file.path);
  await world.git('commit', '--quiet', '-m', 'scratch');
  await world.git('switch', '--quiet', 'main');
  return smoke;
}

/** Runs `event`, the ledger holding `run` first when given; the outcome, the finding's audit event types and pull requests. */
async function run(event: unknown, record?: SmokeRun) {
  const local = await world.open();
  try {
    if (record) await local.ctx.ledger.recordSmokeRun(record);
    const out = await createRuntime({ context: local.ctx, approve: 'auto' }).run(event);
    const outcome = out.results[0]!;
    const audit = await local.ctx.ledger.auditTrail(outcome.fingerprint);
    return { outcome, audit, pullRequests: await local.ctx.ledger.pullRequestsFor(outcome.fingerprint) };
  } finally {
    await local.close();
  }
}

const recordOf = (runId: string, extra: Partial<SmokeRun> = {}): SmokeRun => {
  const startedAt = new Date();
  return { runId, repository: 'infra', by: 'cli:t', startedAt, expiresAt: new Date(startedAt.getTime() + HOUR), ...extra };
};

describe('a smoke test finding in the workflow', () => {
  it('is fixed on its scratch branch when the ledger records its run: pr_opened, only the scratch file changed', async () => {
    const main = await world.git('rev-parse', 'main');
    const smoke = await scratch('0000000000a1');
    const { outcome, audit, pullRequests } = await run(smoke.event, recordOf('0000000000a1'));
    expect(outcome).toMatchObject({ status: 'pr_opened', files: [smoke.file.path] });
    const branch = String(outcome.branch);
    expect(await world.git('merge-base', smoke.branch, branch)).toBe(await world.git('rev-parse', smoke.branch));
    expect(await world.git('diff', '--name-only', smoke.branch, branch)).toBe(`${smoke.file.path}\n`);
    expect(await world.git('diff', smoke.branch, branch)).toMatch(/\+resource "aws_s3_bucket_public_access_block"/);
    expect(pullRequests).toMatchObject([{ branch, base: smoke.branch }]);
    expect(await world.git('rev-parse', 'main')).toBe(main);
    // The finding was never imported into Security Hub: nothing is written back.
    expect(audit.map((e) => e.type)).not.toContain('write_back.skipped');
    expect(audit.map((e) => e.type)).not.toContain('smoke.untrusted');
  });

  it.each([
    ['no record of the run', '0000000000b1', undefined, /no smoke run of that id is recorded/],
    ['a record for another repository', '0000000000b2', { repository: 'other' }, /recorded for repository other, not infra/],
    [
      'an expired record',
      '0000000000b3',
      { startedAt: new Date(Date.now() - 2 * HOUR), expiresAt: new Date(Date.now() - HOUR) },
      /the smoke run ended at /,
    ],
  ])('is skipped with %s: never based on its scratch branch, never fixed on the default branch', async (_, runId, extra, why) => {
    const smoke = await scratch(runId);
    const head = await world.git('rev-parse', smoke.branch);
    const branches = await world.git('branch', '--list');
    const { outcome, audit, pullRequests } = await run(smoke.event, extra === undefined ? undefined : recordOf(runId, extra));
    expect(outcome).toMatchObject({ status: 'skipped', branch: null });
    expect(outcome.reason).toMatch(
      /^unrecorded_smoke_run: a smoke-test event is acted on only for a run `cloudmend smoke` recorded in the ledger: /,
    );
    expect(outcome.reason).toMatch(why);
    expect(pullRequests).toEqual([]);
    expect(await world.git('rev-parse', smoke.branch)).toBe(head);
    expect(await world.git('branch', '--list')).toBe(branches);
    expect(audit.find((e) => e.type === 'smoke.untrusted')?.data).toMatchObject({ runId, reason: expect.stringMatching(why) as unknown });
  });

  it.each([
    // The stack's smoke-test rule does not even match it.
    ['acme-logs', /^no_trigger: no trigger matches: trigger smoke-test needs detail\.findings\.Resources\.Id/],
    [
      'cloudmend-smoke-0000000000c1-evil',
      /^unrecorded_smoke_run: .*: arn:aws:s3:::cloudmend-smoke-0000000000c1-evil is not a smoke run's bucket$/,
    ],
  ])('skips a smoke-test event that names a recorded run but bucket %s: it is not a way in for any finding', async (bucket, why) => {
    const smoke = await scratch(bucket === 'acme-logs' ? '0000000000c1' : '0000000000c3');
    const event = structuredClone(smoke.event) as { detail: { findings: { Id: string; Resources: Record<string, unknown>[] }[] } };
    const [finding] = event.detail.findings;
    finding!.Id = finding!.Id.replace(`cloudmend-smoke-${smoke.runId}`, bucket);
    finding!.Resources = [{ ...finding!.Resources[0], Id: `arn:aws:s3:::${bucket}`, Details: { AwsS3Bucket: { Name: bucket } } }];
    const head = await world.git('rev-parse', smoke.branch);
    const { outcome, pullRequests } = await run(event, recordOf(smoke.runId));
    expect(outcome).toMatchObject({ status: 'skipped', branch: null });
    expect(outcome.reason).toMatch(why);
    expect(pullRequests).toEqual([]);
    expect(await world.git('rev-parse', smoke.branch)).toBe(head);
  });

  it('never bases a Security Hub event’s finding on a scratch branch, even about a recorded run’s bucket', async () => {
    const smoke = await scratch('0000000000c2');
    const event = { ...smoke.event, source: 'aws.securityhub', 'detail-type': 'Security Hub Findings - Imported' };
    const head = await world.git('rev-parse', smoke.branch);
    const { outcome, pullRequests } = await run(event, recordOf('0000000000c2'));
    // Read on the default branch, where the bucket is not declared.
    expect(outcome).toMatchObject({ status: 'no_target', branch: null });
    expect(outcome.reason).toMatch(new RegExp(`in infra@${(await world.git('rev-parse', 'main')).slice(0, 12)} declares`));
    expect(pullRequests).toEqual([]);
    expect(await world.git('rev-parse', smoke.branch)).toBe(head);
  });

  it('is predicted by explain as the run goes: fixed on the scratch branch with a record, skipped without', async () => {
    const recorded = await scratch('0000000000d1');
    const unrecorded = await scratch('0000000000d2');
    const local = await world.open();
    try {
      await local.ctx.ledger.recordSmokeRun(recordOf('0000000000d1'));
      const predict = async (event: unknown) => {
        const explained = explainEvent(event, world.config);
        const { finding, decision } = explained.findings[0]!;
        return predictRun(finding, decision, { ...local.ctx, now: new Date() }, explained.kind);
      };
      expect(await predict(recorded.event)).toMatchObject({
        code: 'remediate',
        reason: expect.stringMatching(/skill s3-block-public-access fixes cloudmend-smoke\/0000000000d1\.tf/) as unknown,
      });
      expect(await predict(unrecorded.event)).toMatchObject({ decision: 'skip', code: 'unrecorded_smoke_run' });
    } finally {
      await local.close();
    }
  });
});
