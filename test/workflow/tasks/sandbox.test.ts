/**
 * The tasks around the sandbox (RunAgent, Sandbox, CollectAgent, CollectValidation) and the drift
 * comparison (CompareDrift), each called directly on a work item, the sandbox's output written
 * where the sandbox would leave it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxOutput } from '../../../src/agent/task.js';
import type { SandboxPort } from '../../../src/sandbox/port.js';
import type { ValidationOutput } from '../../../src/sandbox/validation.js';
import { SANDBOX_ENV } from '../../../src/sandbox/environment.js';
import { sandbox } from '../../../src/workflow/tasks/sandbox.js';
import type { FindingOutcome, IterationState, NormalizeOutput, Patch, PatchOutput } from '../../../src/workflow/types.js';
import { itemChangeEvent } from '../../support/events.js';
import { bedrockModelConfig } from '../../support/model-config.js';
import { VERSIONED_TF } from '../../local/fixture.js';
import { bucketFinding, taskWorld, workItem, type TaskWorld } from './support.js';

const BUCKETS_TF = ['logs', 'audit'].map((n) => `resource "aws_s3_bucket" "${n}" {\n  bucket = "acme-${n}"\n}\n`).join('\n');
/** No skill covers S3.7 (cross-Region replication, which needs a destination only a person can choose): the agent's control. */
const AGENT_CONTROL = 'S3.7';

let t: TaskWorld | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const states = (fps: readonly string[]) => Promise.all(fps.map(async (fp) => (await t!.ctx.ledger.get(fp))?.state));

/** Two findings of `control` on the two buckets, claimed and located. */
async function located(control: string): Promise<IterationState> {
  const item = await workItem(t!, [bucketFinding(control, 'acme-logs'), bucketFinding(control, 'acme-audit')]);
  const state: IterationState = { ...item, claim: await t!.run('Claim', item) };
  return { ...state, target: await t!.run('Locate', state) };
}

describe('RunAgent', () => {
  it('without a model: every finding of the item needs one, each recorded', async () => {
    t = await taskWorld({ 'storage.tf': BUCKETS_TF });
    const state = await located(AGENT_CONTROL);
    expect(state.target).toMatchObject({ found: true, hasSkill: false });
    const patch = await t.run<PatchOutput>('RunAgent', state);
    expect(patch).toMatchObject({ status: 'needs_model', settled: [{ status: 'needs_model' }, { status: 'needs_model' }] });
    expect(patch.reason).toMatch(/no model is configured/);
    const outcome = await t.run<FindingOutcome>('Record', { ...state, patch });
    expect(outcome).toMatchObject({ status: 'needs_model', members: [{ fingerprint: state.claim!.claimed[1] }] });
    expect(await states(state.claim!.claimed)).toEqual(['needs_model', 'needs_model']);
  });

  it('with a model: packs the first finding’s code for the sandbox, the others wait for runs of their own', async () => {
    t = await taskWorld({ 'storage.tf': BUCKETS_TF }, bedrockModelConfig('anthropic.claude-test'));
    const state = await located(AGENT_CONTROL);
    const [first, second] = state.claim!.claimed;
    const patch = await t.run<PatchOutput>('RunAgent', state);
    expect(patch).toMatchObject({
      status: 'sandbox',
      model: 'anthropic.claude-test',
      sandbox: { mode: 'agent', input: `sandbox/input/${first}/1.json`, output: `sandbox/output/${first}/1.json` },
      settled: [{ fingerprint: second, status: 'needs_model' }],
    });
    const task = await t.ctx.artifacts.get<{ fingerprint: string; files: { path: string }[] }>(patch.sandbox!.input);
    expect(task).toMatchObject({ fingerprint: first, files: [{ path: 'storage.tf' }] });
    expect(await states([first!, second!])).toEqual(['located', 'needs_model']);
  });
});

describe('Sandbox', () => {
  it('runs the sandbox on the input and output its container overrides name', async () => {
    t = await taskWorld({ 'storage.tf': BUCKETS_TF });
    const runs: unknown[] = [];
    const port: SandboxPort = { network: () => Promise.reject(new Error('not asked')), run: (r) => (runs.push(r), Promise.resolve()) };
    const env = [
      { Name: SANDBOX_ENV.input, Value: 'sandbox/input/a/1.json' },
      { Name: SANDBOX_ENV.output, Value: 'sandbox/output/a/1.json' },
    ];
    expect(await sandbox({ Overrides: { ContainerOverrides: [{ Environment: env }] } }, { ...t.ctx, sandbox: port })).toEqual({});
    expect(runs).toEqual([{ input: 'sandbox/input/a/1.json', output: 'sandbox/output/a/1.json' }]);
    await expect(t.run('Sandbox', { Overrides: {} })).rejects.toThrow(/needs CLOUDMEND_SANDBOX_INPUT and CLOUDMEND_SANDBOX_OUTPUT/);
  });
});

describe('CollectAgent', () => {
  it('records the agent’s no_fix for its finding, keeping the others’ outcomes of RunAgent', async () => {
    t = await taskWorld({ 'storage.tf': BUCKETS_TF }, bedrockModelConfig('anthropic.claude-test'));
    const state = await located(AGENT_CONTROL);
    const patch = await t.run<PatchOutput>('RunAgent', state);
    const usage = { model: 'anthropic.claude-test', calls: 2, inputTokens: 10, outputTokens: 5, latencyMs: 1 };
    const output: SandboxOutput = { status: 'no_fix', reason: 'the bucket logs to itself', usage };
    await t.ctx.artifacts.put(patch.sandbox!.output, output);
    const collected = await t.run<PatchOutput>('CollectAgent', { ...state, patch });
    expect(collected).toMatchObject({ status: 'no_fix', reason: 'the bucket logs to itself' });
    expect(collected.settled?.map((s) => s.status)).toEqual(['needs_model', 'no_fix']);
    const outcome = await t.run<FindingOutcome>('Record', { ...state, patch: collected });
    expect([outcome.status, outcome.members?.[0]?.status]).toEqual(['no_fix', 'needs_model']);
    expect(await states(state.claim!.claimed)).toEqual(['no_fix', 'needs_model']);
  });
});

describe('CollectValidation', () => {
  it('records the validators’ verdict on the item’s one patch and moves every finding it fixes to patched', async () => {
    t = await taskWorld(
      { 'storage.tf': BUCKETS_TF },
      'validators:\n  terraform: { mode: auto }\n  cfnLint: { mode: off }\npolicy: { default: pull_request }\n',
    );
    const state = await located('S3.8');
    const pending = await t.run<PatchOutput>('ApplySkill', state);
    expect(pending).toMatchObject({ status: 'sandbox', sandbox: { mode: 'validate' }, members: state.claim!.claimed });
    expect(await states(state.claim!.claimed)).toEqual(['located', 'located']);
    const verdict: ValidationOutput = { status: 'validated', check: { name: 'terraform-validate', status: 'passed', detail: 'valid' } };
    await t.ctx.artifacts.put(pending.sandbox!.output, verdict);
    const patch = await t.run<PatchOutput>('CollectValidation', { ...state, patch: pending });
    expect(patch).toMatchObject({ status: 'patched', members: state.claim!.claimed, validation: { passed: true } });
    expect(patch.validation?.checks).toContainEqual(verdict.check);
    expect((await t.ctx.artifacts.get<Patch>(patch.artifact!)).validation.checks).toContainEqual(verdict.check);
    expect(await states(state.claim!.claimed)).toEqual(['patched', 'patched']);
  });

  it('fails the item when the validators fail its patch', async () => {
    t = await taskWorld({ 'storage.tf': BUCKETS_TF }, 'validators:\n  terraform: { mode: auto }\n  cfnLint: { mode: off }\n');
    const state = await located('S3.8');
    const pending = await t.run<PatchOutput>('ApplySkill', state);
    const verdict: ValidationOutput = { status: 'validated', check: { name: 'terraform-validate', status: 'failed', detail: 'bad' } };
    await t.ctx.artifacts.put(pending.sandbox!.output, verdict);
    await expect(t.run('CollectValidation', { ...state, patch: pending })).rejects.toThrow(
      /did not verify in the sandbox \(terraform-validate: bad\)/,
    );
  });
});

describe('CompareDrift', () => {
  const DRIFT = 'policy: { default: pull_request, rules: [{ name: drift, match: { sources: [config-change] }, tier: pull_request }] }\n';
  const change = (versioning: string) =>
    itemChangeEvent({
      configuration: JSON.stringify({ name: 'acme-logs', owner: { id: 'abc' }, creationDate: '2025-01-01T00:00:00.000Z' }),
      supplementaryConfiguration: {
        BucketVersioningConfiguration: JSON.stringify({ status: versioning, isMfaDeleteEnabled: null }),
      },
      tags: {},
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'acme-logs',
      resourceName: 'acme-logs',
      ARN: 'arn:aws:s3:::acme-logs',
    });

  async function compared(versioning: string): Promise<{ state: IterationState; patch: PatchOutput }> {
    t = await taskWorld({ 'storage.tf': VERSIONED_TF }, DRIFT);
    const [item] = (await t.run<NormalizeOutput>('Normalize', change(versioning))).items;
    expect(item).toMatchObject({ kind: 'drift', size: 1 });
    let state: IterationState = { ...item!, claim: await t.run('Claim', item) };
    state = { ...state, target: await t.run('Locate', state) };
    return { state, patch: await t.run<PatchOutput>('CompareDrift', state) };
  }

  it('settles a resource that matches its code as in_sync', async () => {
    const { state, patch } = await compared('Enabled');
    expect(patch).toMatchObject({ status: 'in_sync', settled: [{ status: 'in_sync' }] });
    expect(await t!.run<FindingOutcome>('Record', { ...state, patch })).toMatchObject({ status: 'in_sync', skill: 'drift-codify' });
    expect(await states(state.claim!.claimed)).toEqual(['in_sync']);
  });

  it('writes the live values into the code as a patch when they differ', async () => {
    const { state, patch } = await compared('Suspended');
    expect(patch).toMatchObject({ status: 'patched', skill: 'drift-codify', files: ['storage.tf'] });
    const written = await t!.ctx.artifacts.get<Patch>(patch.artifact!);
    expect(written.diff).toContain('+    status = "Suspended"');
    expect(written.drift).toMatchObject({ weakens: true });
    expect(await states(state.claim!.claimed)).toEqual(['patched']);
  });
});
