import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import type { Ledger } from '../../src/ledger/port.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { TaskContext } from '../../src/workflow/context.js';
import type { Artifacts } from '../../src/artifacts/port.js';
import { checkPolicy } from '../../src/workflow/tasks/check-policy.js';
import type { IterationState, Patch } from '../../src/workflow/types.js';
import { asffFinding, importedEvent } from '../support/events.js';

const BEFORE =
  'resource "aws_security_group" "web" {\n  name = "web"\n\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n}\n';

let dir: string;
let ledger: Ledger;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cloudmend-policy-'));
  ledger = openSqliteLedger({ path: join(dir, 'ledger.db') });
});
afterEach(async () => {
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

function memoryArtifacts(): Artifacts {
  const store = new Map<string, unknown>();
  return { put: (k, v) => (store.set(k, v), Promise.resolve()), get: <T>(k: string) => Promise.resolve(store.get(k) as T) };
}

async function setup(after: string, tier: 'pull_request' | 'recommend', extra: Partial<Patch> = {}) {
  const finding = normalizeEvent(importedEvent([asffFinding({ control: 'EC2.19' })])).findings[0];
  if (!finding) throw new Error('no finding');
  const at = new Date();
  await ledger.claim({ fingerprint: finding.fingerprint, summary: { source: 'securityhub' }, actor: 't', at });
  await ledger.transition({ fingerprint: finding.fingerprint, from: 'claimed', to: 'located', actor: 't', at });
  await ledger.transition({ fingerprint: finding.fingerprint, from: 'located', to: 'patched', actor: 't', at });
  const artifacts = memoryArtifacts();
  const patch: Patch = {
    fingerprint: finding.fingerprint,
    repository: 'infra',
    base: 'main',
    commit: 'c',
    files: [{ path: 'main.tf', before: BEFORE, after }],
    diff: '',
    notes: [],
    messages: [],
    validation: { passed: true, checks: [] },
    ...extra,
  };
  await artifacts.put('p.json', patch);
  const ctx = {
    config: parseConfig('version: 1\n', 'c.yaml'),
    ledger,
    artifacts,
    now: () => new Date(),
    actor: 'test',
  } as unknown as TaskContext;
  const decision = { decision: 'act', code: 'remediate', tier, repository: 'infra', reason: 'r' };
  const target = {
    repository: 'infra',
    kind: 'terraform',
    file: 'main.tf',
    files: ['main.tf'],
    address: 'aws_security_group.web',
    resourceType: 'aws_security_group',
    strategy: 'name',
  };
  const state = {
    kind: 'fix',
    size: 1,
    findings: [{ eventId: 'e', finding, decision }],
    settings: { approvalTimeoutSeconds: 60 },
    claim: { status: 'claimed', state: 'claimed', claimed: [finding.fingerprint], settled: [] },
    target: { found: true, hasSkill: true, target, located: [{ fingerprint: finding.fingerprint, target, skills: ['x'] }], settled: [] },
    patch: { status: 'patched', artifact: 'p.json' },
  } as IterationState;
  return { ctx, state, fingerprint: finding.fingerprint };
}

describe('CheckPolicy', () => {
  it('blocks a patch that opens a port to the internet, whoever wrote it, and records why', async () => {
    const { ctx, state, fingerprint } = await setup(BEFORE.replace('10.0.0.0/8', '0.0.0.0/0'), 'pull_request');
    const result = await checkPolicy(state, ctx);
    expect(result).toMatchObject({ allowed: false, violations: [{ rule: 'widened-network' }] });
    expect(await ledger.get(fingerprint)).toMatchObject({
      state: 'blocked',
      reason: expect.stringMatching(/^the guardrail refused the patch: widened-network \(main\.tf:\d+: /) as unknown,
    });
  });

  it('lets a narrowing patch through to its tier, and keeps it as a recommendation for tier recommend', async () => {
    const narrow = BEFORE.replace('10.0.0.0/8', '10.1.0.0/16');
    const pr = await setup(narrow, 'pull_request');
    expect(await checkPolicy(pr.state, pr.ctx)).toEqual({ allowed: true, tier: 'pull_request' });
    expect((await ledger.get(pr.fingerprint))?.state).toBe('patched');
    await ledger.close();
    ledger = openSqliteLedger({ path: join(dir, 'ledger2.db') });
    const rec = await setup(narrow, 'recommend');
    expect(await checkPolicy(rec.state, rec.ctx)).toMatchObject({ allowed: true, tier: 'recommend' });
    expect((await ledger.get(rec.fingerprint))?.state).toBe('recommended');
  });

  it.each([
    ['replacement', 'the patch replaces a resource (it is destroyed and created again)', 'policy.replacement'],
    ['downtime', 'the patch interrupts a resource while it applies (downtime)', 'policy.downtime'],
  ] as const)("sends a fix its skill marks %s to an approver, even where the guardrail's tables see nothing", async (kind, why, audit) => {
    const narrow = BEFORE.replace('10.0.0.0/8', '10.1.0.0/16');
    const { ctx, state, fingerprint } = await setup(narrow, 'pull_request', {
      skill: 'x',
      disruption: { kind, rollback: 'snapshot first' },
    });
    expect(await checkPolicy(state, ctx)).toMatchObject({
      allowed: true,
      tier: 'pull_request_with_approval',
      reason: `${why}; it needs an approver (x says so)`,
    });
    expect((await ledger.auditTrail(fingerprint)).map((a) => a.type)).toContain(audit);
  });
});
