/**
 * Security Hub v2 (OCSF) through the real workflow: a "Findings Imported V2" event for a bucket in a
 * Terraform repository opens the pull request the ASFF event would (same branch, same patch, same
 * commit), and a customer running both formats gets one pull request, not two.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/local/runtime.js';
import { planBatches, skillCoverage } from '../../src/triggers/batching.js';
import { importedEvent, importedV2Event } from '../support/events.js';
import { makeWorld, type World } from './fixture.js';

const worlds: World[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.cleanup();
});

async function world(): Promise<World> {
  const w = await makeWorld();
  worlds.push(w);
  return w;
}

async function run(w: World, events: readonly unknown[]) {
  const local = await w.open();
  try {
    const runtime = createRuntime({ context: local.ctx, approve: 'auto', pollMs: 20 });
    const outs = [];
    for (const event of events) outs.push(await runtime.run(event));
    const fingerprints = new Set(outs.flatMap((out) => out.results.map((r) => r.fingerprint)));
    const audit = (await Promise.all([...fingerprints].map((f) => local.ctx.ledger.auditTrail(f)))).flat();
    return { outs, audit };
  } finally {
    await local.close();
  }
}

/** What the pull request is: its branch, the patch against main, and the commit message. */
async function pullRequestOf(w: World, branch: string): Promise<{ branch: string; patch: string; message: string }> {
  return { branch, patch: await w.git('diff', `main...${branch}`), message: await w.git('log', '-1', '--format=%B', branch) };
}

describe('a Security Hub v2 (OCSF) finding, run locally', () => {
  it('opens the pull request the ASFF event opens (same branch, patch and commit); the other format after it is a duplicate', async () => {
    const [asffWorld, ocsfWorld] = [await world(), await world()];
    const asff = (await run(asffWorld, [importedEvent()])).outs[0]!;
    const { outs, audit } = await run(ocsfWorld, [importedV2Event(), importedEvent()]);
    const ocsf = outs[0]!;
    expect(ocsf.error).toBeUndefined();
    expect(ocsf.results).toEqual([
      expect.objectContaining({ controlId: 'S3.8', status: 'pr_opened', skill: 's3-block-public-access', files: ['storage.tf'] }),
    ]);
    const [a, o] = [asff.results[0]!, ocsf.results[0]!];
    expect(o.fingerprint).toBe(a.fingerprint);
    const expected = await pullRequestOf(asffWorld, a.branch ?? '');
    expect(expected.patch).toContain('resource "aws_s3_bucket_public_access_block" "logs"');
    expect(await pullRequestOf(ocsfWorld, o.branch ?? '')).toEqual(expected);
    // A customer running both formats gets one pull request.
    expect(outs[1]!.results.map((r) => r.status)).toEqual(['duplicate']);
    expect((await ocsfWorld.git('branch', '--list', 'cloudmend/*')).trim().split('\n')).toHaveLength(1);
    // Written back by the API of its own format: BatchUpdateFindingsV2 (recorded locally).
    const writeBacks = audit.filter((e) => e.type === 'write_back.skipped').map((e) => e.data);
    expect(writeBacks).toEqual([expect.objectContaining({ api: 'BatchUpdateFindingsV2', statusId: 2 })]);
  });

  it('batches ASFF and OCSF deliveries of one finding into one group, the second dropped as a redelivery', async () => {
    const w = await world();
    const plan = planBatches([importedEvent(), importedV2Event()], w.config, {
      maxFindings: 100,
      batchable: await skillCoverage(w.config),
      now: new Date('2026-11-21T10:00:00Z'),
    });
    expect(plan).toMatchObject({ batches: 1, groups: 1, duplicates: 1, passthrough: 0 });
  });
});
