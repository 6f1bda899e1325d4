/**
 * Two findings whose branch names collide (forced here by naming every branch alike), through the
 * real workflow and the local git adapter: the second is refused and fails, and the first one's
 * branch and pull-request record stay exactly as they were.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { createRuntime } from '../../src/local/runtime.js';
import { ACCOUNT, asffFinding, importedEvent } from '../support/events.js';
import { STORAGE_TF, makeWorld, type World } from './fixture.js';

const COLLIDING = 'cloudmend/s3.8-0000000000000000';

vi.mock('../../src/workflow/summary.js', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  branchName: () => COLLIDING,
}));

const AUDIT_TF = 'resource "aws_s3_bucket" "audit" {\n  bucket = "acme-audit"\n}\n';

const bucketEvent = (name: string) =>
  importedEvent(
    [
      asffFinding({
        Id: `arn:aws:securityhub:us-east-1:${ACCOUNT}:finding/${name}`,
        Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${name}`, Details: { AwsS3Bucket: { Name: name } } }],
      }),
    ],
    { id: `evt-${name}` },
  );

let world: World | undefined;
afterEach(() => {
  world?.cleanup();
  world = undefined;
});

async function run(w: World, event: unknown) {
  const local = await w.open();
  try {
    return await createRuntime({ context: local.ctx, approve: 'auto', pollMs: 20 }).run(event);
  } finally {
    await local.close();
  }
}

describe('a branch-name collision', () => {
  it('refuses the second finding and leaves the first one’s branch and pull-request record intact', async () => {
    world = await makeWorld('', { 'storage.tf': STORAGE_TF, 'audit.tf': AUDIT_TF });
    const first = await run(world, bucketEvent('acme-logs'));
    const [opened] = first.results;
    expect(opened).toMatchObject({ status: 'pr_opened', branch: COLLIDING });
    const head = (await world.git('rev-parse', COLLIDING)).trim();
    const ledger = openSqliteLedger({ path: `${world.state}/ledger.db` });
    const record = await ledger.getPullRequest(`local:infra:${COLLIDING}`);
    await ledger.close();

    const second = await run(world, bucketEvent('acme-audit'));

    const [refused] = second.results;
    expect(refused?.fingerprint).not.toBe(opened?.fingerprint);
    expect(refused).toMatchObject({ status: 'failed', branch: null });
    expect(refused?.reason).toMatch(
      new RegExp(
        `^BranchOwnershipError: refusing to move branch "${COLLIDING}" of repository "infra" for finding ${refused?.fingerprint}: .* belongs to finding ${opened?.fingerprint}`,
      ),
    );
    expect((await world.git('rev-parse', COLLIDING)).trim()).toBe(head);
    expect(await world.git('show', `${COLLIDING}:audit.tf`)).toBe(AUDIT_TF);
    expect(await world.git('log', '-1', '--format=%(trailers:key=Cloudmend-Fingerprint,valueonly)', COLLIDING)).toContain(
      opened?.fingerprint,
    );
    const after = openSqliteLedger({ path: `${world.state}/ledger.db` });
    expect(record).toMatchObject({ fingerprint: opened?.fingerprint, branch: COLLIDING, commit: head });
    expect(await after.getPullRequest(`local:infra:${COLLIDING}`)).toEqual(record);
    expect(await after.pullRequestsFor(refused?.fingerprint ?? '')).toEqual([]);
    expect((await after.get(refused?.fingerprint ?? ''))?.state).toBe('failed');
    await after.close();
  });
});
