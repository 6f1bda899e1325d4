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
    // --approve auto codifies a drift cloudmend can write.
    expect(result).toMatchObject({ status: 'pr_opened', approval: { decision: 'codify' } });
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

const APP_SG = `resource "aws_security_group" "app" {
  name        = "app-tier"
  description = "app tier"
  vpc_id      = "vpc-0abc"

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }

  tags = {
    team = "app"
  }
}
`;

/** Security group app-tier as Config records it: the code's HTTPS rule, plus `extra` ingress rules made by hand. */
function groupChange(options: { extra?: { port: number; cidr: string }[]; team?: string } = {}): Json {
  const rule = (port: number, cidr: string) => ({ ipProtocol: 'tcp', fromPort: port, toPort: port, ipv4Ranges: [{ cidrIp: cidr }] });
  return itemChangeEvent({
    configuration: {
      groupName: 'app-tier',
      groupId: 'sg-0fedcba9876543210',
      description: 'app tier',
      vpcId: 'vpc-0abc',
      ipPermissions: [rule(443, '10.0.0.0/16'), ...(options.extra ?? []).map((r) => rule(r.port, r.cidr))],
      ipPermissionsEgress: [{ ipProtocol: '-1', ipv4Ranges: [{ cidrIp: '0.0.0.0/0' }] }],
    },
    tags: { team: options.team ?? 'app' },
  }) as Json;
}

describe('security drift gets the severity it deserves', () => {
  it('a world-open SSH rule added by hand is CRITICAL and asks for a decision, though policy would not ask and nothing can be codified', async () => {
    world = await makeWorld('policy: { default: pull_request }\n', { 'network.tf': APP_SG });
    // --approve auto cannot codify it, and reverts: it records the steps to re-deploy the code, and acts on nothing.
    const { result, ledger } = await run(groupChange({ extra: [{ port: 22, cidr: '0.0.0.0/0' }] }));
    const [request] = world.approvals;
    expect(request).toMatchObject({ severity: 'CRITICAL', drift: { codify: false, weakens: true } });
    expect(request?.drift?.differences.join('\n')).toMatch(/ingress\[tcp 22 0\.0\.0\.0\/0\]: code \(none\), live/);
    expect(result).toMatchObject({
      status: 'revert_requested',
      approval: { decision: 'revert' },
    });
    void ledger;
    const reopened = await world.open();
    try {
      const record = await reopened.ctx.ledger.get(result!.fingerprint);
      expect(record?.summary.severity).toBe('CRITICAL');
      const audit = await reopened.ctx.ledger.auditTrail(result!.fingerprint);
      expect(JSON.stringify(audit.find((e) => e.type === 'policy.drift-severity')?.data)).toMatch(/"severity":"CRITICAL"/);
    } finally {
      await reopened.close();
    }
  });

  it('a world-open rule to another port is HIGH, and the tier a HIGH finding gets decides (recommend: no decision asked)', async () => {
    world = await makeWorld('policy: { default: pull_request, rules: [{ name: high, match: { minSeverity: HIGH }, tier: recommend }] }\n', {
      'network.tf': APP_SG,
    });
    const { result } = await run(groupChange({ extra: [{ port: 8080, cidr: '0.0.0.0/0' }] }));
    expect(world.approvals).toHaveLength(0);
    expect(result).toMatchObject({ status: 'recommended' });
    expect(result?.reason).toMatch(/policy rule high at severity HIGH/);
  });

  it('a changed tag keeps its ordinary severity: reported, no decision asked', async () => {
    world = await makeWorld('policy: { default: pull_request }\n', { 'network.tf': APP_SG });
    const { result } = await run(groupChange({ team: 'platform' }));
    expect(world.approvals).toHaveLength(0);
    expect(result).toMatchObject({ status: 'recommended' });
    expect(result?.reason).toMatch(/tags\.team: code "app", live "platform"/);
    const reopened = await world.open();
    try {
      expect((await reopened.ctx.ledger.get(result!.fingerprint))?.summary.severity).toBe('INFORMATIONAL');
    } finally {
      await reopened.close();
    }
  });
});

const ORDERS_DB = `resource "aws_db_instance" "orders" {
  identifier          = "orders-db"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  storage_encrypted   = true
  publicly_accessible = false
}
`;

it('reports allocated_storage 20 → 50 though no fixed list names it, and codifies it', async () => {
  world = await makeWorld('policy: { default: pull_request }\n', { 'db.tf': ORDERS_DB });
  const event = itemChangeEvent({
    configuration: {
      dBInstanceIdentifier: 'orders-db',
      engine: 'postgres',
      dBInstanceClass: 'db.t3.micro',
      allocatedStorage: 50,
      storageEncrypted: true,
      publiclyAccessible: false,
    },
    tags: {},
    resourceType: 'AWS::RDS::DBInstance',
    resourceId: 'db-ABCDEFGHIJKLMNOP',
    resourceName: 'orders-db',
    ARN: 'arn:aws:rds:eu-west-1:111122223333:db:orders-db',
  }) as Json;
  const { result } = await run(event);
  expect(result).toMatchObject({ status: 'pr_opened', skill: 'drift-codify' });
  expect(await world.git('show', `${result!.branch!}:db.tf`)).toBe(ORDERS_DB.replace('= 20', '= 50'));
  const reopened = await world.open();
  try {
    const [pr] = await reopened.ctx.ledger.pullRequestsFor(result!.fingerprint);
    expect(pr?.body).toMatch(/allocatedStorage: code 20, live 50/);
  } finally {
    await reopened.close();
  }
});
