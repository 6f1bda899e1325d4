/**
 * Drift through the remediate workflow on a real git repository: a Config item change for a
 * Terraform-managed bucket is compared with the code; approvers choose codify (a branch with the
 * live values), revert (the steps to re-deploy, no branch) or ignore (a suppression that holds the
 * next change back); a weakening is codified only with a person's approval and says so first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Json } from '../../src/drift/partial.js';
import { createRuntime } from '../../src/local/runtime.js';
import { decideApproval } from '../../src/workflow/approvals.js';
import { itemChangeEvent } from '../support/events.js';
import { makeWorld, type World } from './fixture.js';

const STORAGE = `resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

# Versioning keeps overwritten log objects recoverable.
resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket = aws_s3_bucket.logs.id

  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}
`;

const DRIFT_POLICY =
  'policy: { default: pull_request, rules: [{ name: drift, match: { sources: [config-change] }, tier: pull_request_with_approval }] }\n';

/** A configuration item of bucket acme-logs as Config records it, with `versioning` and `blockPublicAcls` live. */
function bucketChange(options: { versioning?: string; blockPublicAcls?: boolean; stateId?: number } = {}): Json {
  const pab = {
    blockPublicAcls: options.blockPublicAcls ?? true,
    ignorePublicAcls: true,
    blockPublicPolicy: true,
    restrictPublicBuckets: true,
  };
  return itemChangeEvent({
    configuration: JSON.stringify({ name: 'acme-logs', owner: { id: 'abc' }, creationDate: '2025-01-01T00:00:00.000Z' }),
    supplementaryConfiguration: {
      BucketVersioningConfiguration: JSON.stringify({ status: options.versioning ?? 'Enabled', isMfaDeleteEnabled: null }),
      PublicAccessBlockConfiguration: JSON.stringify(pab),
    },
    tags: {},
    configurationStateId: options.stateId ?? 1795679110204,
    resourceType: 'AWS::S3::Bucket',
    resourceId: 'acme-logs',
    resourceName: 'acme-logs',
    ARN: 'arn:aws:s3:::acme-logs',
  }) as Json;
}

let world: World | undefined;
afterEach(() => {
  world?.cleanup();
  world = undefined;
});

async function run(event: Json, decide: 'auto' | { choice: 'codify' | 'revert' | 'ignore' } = 'auto') {
  world ??= await makeWorld(DRIFT_POLICY, { 'storage.tf': STORAGE });
  const w = world;
  const local = await w.open();
  try {
    const runtime = createRuntime({ context: local.ctx, approve: decide === 'auto' ? 'auto' : 'wait', pollMs: 20 });
    const running = runtime.run(event);
    if (decide !== 'auto') {
      for (let i = 0; i < 200 && w.approvals.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      const request = w.approvals.at(-1);
      if (!request) throw new Error('no approval was requested');
      await decideApproval(local.ctx.ledger, {
        id: request.approvalId,
        decision: decide.choice === 'codify' ? 'approved' : 'rejected',
        choice: decide.choice,
        actor: 'slack:U0OWNER',
        at: new Date(),
      });
    }
    const out = await running;
    return { out, result: out.results[0], ledger: local.ctx.ledger, local };
  } finally {
    await local.close();
  }
}

describe('drift in the remediate workflow', () => {
  it('ends in sync when the live bucket matches its code', async () => {
    const { result } = await run(bucketChange());
    expect(result).toMatchObject({ status: 'in_sync', skill: 'drift-codify', branch: null });
    expect(result?.reason).toMatch(/aws_s3_bucket\.logs in storage\.tf matches the live resource/);
  });

  it('asks the approvers with the three choices, and codify writes the live value into the code on a branch', async () => {
    const { result } = await run(bucketChange({ versioning: 'Suspended' }), { choice: 'codify' });
    const request = world!.approvals[0]!;
    expect(request.drift).toMatchObject({ weakens: true, ignoreDays: 7 });
    expect(request.drift?.differences.join('\n')).toMatch(/versioning: code "Enabled", live "Suspended"/);
    expect(result).toMatchObject({ status: 'pr_opened', skill: 'drift-codify', approval: { decision: 'codify', by: 'slack:U0OWNER' } });
    const codified = await world!.git('show', `${result!.branch!}:storage.tf`);
    expect(codified).toContain('status = "Suspended"');
    expect(codified).toContain('# Versioning keeps overwritten log objects recoverable.');
    expect(codified.replace('"Suspended"', '"Enabled"')).toBe(STORAGE);
    expect(result?.validation?.checks.map((c) => [c.name, c.status])).toEqual(
      expect.arrayContaining([
        ['parses', 'passed'],
        ['drift-clean', 'passed'],
      ]),
    );
  });

  it('says a weakening first in the pull request, and needs an approval even where policy would not ask', async () => {
    world = await makeWorld('policy: { default: pull_request }\n', { 'storage.tf': STORAGE });
    const { result, local } = await run(bucketChange({ blockPublicAcls: false }));
    expect(result).toMatchObject({ status: 'pr_opened', approval: { decision: 'approved' } });
    expect(world.approvals).toHaveLength(1);
    const reopened = await world.open();
    try {
      const [pr] = await reopened.ctx.ledger.pullRequestsFor(result!.fingerprint);
      expect(pr?.body.split('\n')[0]).toMatch(/^⚠️ \*\*This pull request writes a security weakening into the code\*\*/);
      expect(pr?.body).toMatch(/blockPublicAcls: code true, live false \[exposure, weakens\]/);
    } finally {
      await reopened.close();
    }
    void local;
  });

  it('revert opens nothing and records the steps to re-deploy the code', async () => {
    const { result } = await run(bucketChange({ versioning: 'Suspended' }), { choice: 'revert' });
    expect(result).toMatchObject({ status: 'revert_requested', branch: null, approval: { decision: 'revert' } });
    expect(result?.reason).toMatch(/terraform plan -target=aws_s3_bucket\.logs/);
    expect(await world!.git('branch', '--list', 'cloudmend/*')).toBe('');
  });

  it('ignore suppresses drift on the resource: the next change is skipped with the reason until it ends', async () => {
    const first = await run(bucketChange({ versioning: 'Suspended' }), { choice: 'ignore' });
    expect(first.result).toMatchObject({ status: 'ignored', approval: { decision: 'ignore' } });
    expect(first.result?.reason).toMatch(/not raised again before 20\d\d-/);
    const next = await run(bucketChange({ versioning: 'Suspended', stateId: 1795679110999 }));
    expect(next.result).toMatchObject({ status: 'skipped' });
    expect(next.result?.reason).toMatch(
      /ignored: drift on this resource is ignored until .* \(slack:U0OWNER: drift on AWS::S3::Bucket acme-logs ignored\)/,
    );
  });
});
