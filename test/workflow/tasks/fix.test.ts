/**
 * The fix path task by task (Normalize, Claim, Locate, ApplySkill, CheckPolicy, OpenPullRequest,
 * Record, Notify) for a work item of one finding and of several: findings of several controls on
 * one resource make one verified patch and one pull request.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FindingOutcome, IterationState, NormalizeOutput, Patch } from '../../../src/workflow/types.js';
import { jsonBytes } from '../../../src/state-size.js';
import { BATCH_DETAIL_TYPE, type BatchDetail } from '../../../src/triggers/batch-event.js';
import { ACCOUNT, asffFinding, importedEvent, REGION } from '../../support/events.js';
import { fullSizeFinding } from '../../support/full-size-findings.js';
import { bucketFinding, groupFinding, remediate, taskWorld, workItem, type TaskWorld } from './support.js';

const BUCKET_TF = `resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
`;

/** A security group with SSH open to the internet (EC2.13, EC2.18 and EC2.19 on it), as the skill's own case has it. */
const GROUP_TF = readFileSync(join(import.meta.dirname, '../../../src/skills/ec2-open-ingress/cases/bastion-ssh.input.tf'), 'utf8');

let t: TaskWorld | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const states = async (fingerprints: readonly string[]) => Promise.all(fingerprints.map(async (fp) => (await t!.ctx.ledger.get(fp))?.state));

describe('Normalize', () => {
  it("makes one work item per resource of an event: one bucket's findings together, another bucket's apart, decisions inline", async () => {
    t = await taskWorld({ 'storage.tf': BUCKET_TF });
    const event = importedEvent([bucketFinding('S3.8'), bucketFinding('S3.8', 'acme-data'), bucketFinding('S3.5')]);
    const out = await t.run<NormalizeOutput>('Normalize', event);
    expect(out.items).toHaveLength(2);
    const remediate = { decision: { code: 'remediate', repository: 'infra' } };
    expect(out.items[0]).toMatchObject({ kind: 'fix', size: 2, findings: [remediate, remediate] });
    expect(out.items[1]).toMatchObject({ kind: 'fix', size: 1, findings: [{ finding: { resource: { name: 'acme-data' } } }] });
  });
});

describe('a large work item', () => {
  it('travels by reference: 40 full-size findings of a batch (180 KB) keep the state under 20 KB, from Normalize to Locate', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `acme-data-${i}`);
    t = await taskWorld({ 'storage.tf': names.map((n, i) => `resource "aws_s3_bucket" "b${i}" {\n  bucket = "${n}"\n}\n`).join('\n') });
    const events = names.map((n, i) => importedEvent([fullSizeFinding(i, n)], { id: `evt-${i}` }));
    const detail: BatchDetail = { batchId: '0123456789abcdef', repository: 'infra', events };
    const batch = { ...(importedEvent() as object), id: 'batch-1', 'detail-type': BATCH_DETAIL_TYPE, source: 'cloudmend', detail };
    const [item, ...others] = (await t.run<NormalizeOutput>('Normalize', batch)).items;
    expect(others).toEqual([]);
    expect(item).toMatchObject({
      size: 40,
      batchId: '0123456789abcdef',
      findings: expect.stringMatching(/^claim-check\/findings\//) as unknown,
    });
    let state: IterationState = { ...item!, claim: await t.run('Claim', item) };
    state = { ...state, target: await t.run('Locate', state) };
    expect(state.claim!.claimed).toHaveLength(40);
    expect(state.target).toMatchObject({ found: true, settled: [] });
    expect(jsonBytes(events)).toBeGreaterThan(150_000);
    expect(jsonBytes(state)).toBeLessThan(20_000);
  });
});

describe('one finding (n = 1)', () => {
  it('is claimed, located, fixed by its skill, passes policy, opens its pull request and records pr_opened', async () => {
    t = await taskWorld({ 'storage.tf': BUCKET_TF });
    const item = await workItem(t, [bucketFinding('S3.8')]);
    const { state, outcome } = await remediate(t, item);
    const fp = state.claim!.claimed[0]!;
    expect(state.claim).toMatchObject({ status: 'claimed', claimed: [fp], settled: [] });
    expect(state.target).toMatchObject({ found: true, hasSkill: true, target: { address: 'aws_s3_bucket.logs' } });
    expect(state.patch).toMatchObject({ status: 'patched', skill: 's3-block-public-access', members: [fp], files: ['storage.tf'] });
    expect(state.policy).toEqual({ allowed: true, tier: 'pull_request' });
    expect(state.pullRequest).toMatchObject({ created: true, branch: expect.stringMatching(/^cloudmend\/s3\.8-/) as unknown });
    expect(outcome).toMatchObject({ fingerprint: fp, status: 'pr_opened', skill: 's3-block-public-access' });
    expect(outcome.members).toBeUndefined();
    expect(await states([fp])).toEqual(['pr_opened']);
    expect(await t.run<FindingOutcome>('Notify', outcome)).toEqual(outcome);
    expect((await t.ctx.ledger.auditTrail(fp)).map((a) => a.type)).toContain('notified');
  });

  it('is a duplicate the second time, settled by Claim with its reason', async () => {
    t = await taskWorld({ 'storage.tf': BUCKET_TF });
    const item = await workItem(t, [bucketFinding('S3.8')]);
    await t.run('Claim', item);
    const again = await t.run<IterationState['claim']>('Claim', item);
    expect(again).toMatchObject({ status: 'duplicate', state: 'claimed', claimed: [], settled: [{ status: 'duplicate' }] });
    const outcome = await t.run<FindingOutcome>('Record', { ...item, claim: again });
    expect(outcome).toMatchObject({ status: 'duplicate', reason: 'already claimed' });
  });

  it('ends no_target when no code declares the resource, with what was tried', async () => {
    t = await taskWorld({ 'storage.tf': BUCKET_TF });
    const item = await workItem(t, [bucketFinding('S3.8', 'other-bucket')]);
    const claim = await t.run<IterationState['claim']>('Claim', item);
    const target = await t.run<IterationState['target']>('Locate', { ...item, claim });
    expect(target).toMatchObject({ found: false, hasSkill: false, located: [], settled: [{ status: 'no_target' }] });
    expect(target!.reason).toMatch(/^no terraform code in infra@[0-9a-f]{12} declares AWS::S3::Bucket other-bucket/);
    expect(await t.run<FindingOutcome>('Record', { ...item, claim, target })).toMatchObject({ status: 'no_target' });
    expect(await states(claim!.claimed)).toEqual(['no_target']);
  });
});

describe('several controls on one resource (n > 1)', () => {
  it('S3.4, S3.5 and S3.8 on one bucket: one patch fixing all three, each verified, and one pull request', async () => {
    t = await taskWorld({ 'storage.tf': BUCKET_TF });
    const item = await workItem(t, [bucketFinding('S3.4'), bucketFinding('S3.5'), bucketFinding('S3.8')]);
    expect(item.size).toBe(3);
    const { state, outcome } = await remediate(t, item);
    const fps = state.claim!.claimed;
    expect(fps).toHaveLength(3);
    expect(state.patch).toMatchObject({ status: 'patched', members: fps, settled: [] });
    expect(state.patch!.skill!.split(', ').sort()).toEqual(['s3-block-public-access', 's3-default-encryption', 's3-tls-only']);
    const patch = await t.ctx.artifacts.get<Patch>(state.patch!.artifact!);
    // Each skill's fix verified on its own: three detect-clean checks, one per skill.
    expect(patch.validation.checks.filter((c) => c.name === 'detect-clean').map((c) => c.status)).toEqual(['passed', 'passed', 'passed']);
    for (const added of ['aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_policy', 'aws_s3_bucket_public_access_block'])
      expect(patch.diff).toContain(`+resource "${added}"`);
    expect(state.policy).toMatchObject({ allowed: true });
    expect(outcome).toMatchObject({ status: 'pr_opened', members: [{ fingerprint: fps[1] }, { fingerprint: fps[2] }] });
    expect(await states(fps)).toEqual(['pr_opened', 'pr_opened', 'pr_opened']);
    expect((await t.world.git('branch', '--list', 'cloudmend/*')).trim().split('\n')).toHaveLength(1);
    const pr = await t.ctx.ledger.getPullRequest(state.pullRequest!.id);
    expect(pr?.title).toMatch(/^\[cloudmend\] `S3\.4 \+ S3\.5 \+ S3\.8`: .* \(`aws_s3_bucket\.logs`\)$/);
    for (const control of ['S3.4', 'S3.5', 'S3.8']) expect(pr?.body).toContain(`- \`${control}\`: `);
  });

  it('EC2.13, EC2.18 and EC2.19 on one group: one patch, each finding verified on it, one pull request', async () => {
    t = await taskWorld({ 'network.tf': GROUP_TF }, 'policy: { default: pull_request }\nskills: { allowedIngressCidrs: [10.0.0.0/8] }\n');
    const item = await workItem(t, [
      groupFinding('EC2.13', 'bastion'),
      groupFinding('EC2.18', 'bastion'),
      groupFinding('EC2.19', 'bastion'),
    ]);
    const { state, outcome } = await remediate(t, item);
    const fps = state.claim!.claimed;
    expect(state.target).toMatchObject({ found: true, target: { address: 'aws_security_group.bastion' } });
    expect(state.patch).toMatchObject({ status: 'patched', skill: 'ec2-open-ingress', members: fps, settled: [] });
    const patch = await t.ctx.artifacts.get<Patch>(state.patch!.artifact!);
    expect(patch.validation.checks.filter((c) => c.name === 'detect-clean')).toHaveLength(3);
    expect(patch.validation.passed).toBe(true);
    expect(outcome).toMatchObject({ status: 'pr_opened' });
    expect(outcome.members).toHaveLength(2);
    expect(await states(fps)).toEqual(['pr_opened', 'pr_opened', 'pr_opened']);
    expect((await t.world.git('branch', '--list', 'cloudmend/*')).trim().split('\n')).toHaveLength(1);
  });

  it('a finding already fixed leaves the item with its own outcome, the others go on', async () => {
    t = await taskWorld({ 'storage.tf': BUCKET_TF });
    const item = await workItem(t, [bucketFinding('S3.8'), bucketFinding('S3.5'), bucketFinding('S3.8', 'other-bucket')]);
    const { state, outcome } = await remediate(t, item);
    const [s38, s35, other] = state.claim!.claimed;
    expect(state.target!.settled).toEqual([expect.objectContaining({ fingerprint: other, status: 'no_target' })]);
    expect(state.patch).toMatchObject({ members: [s38, s35] });
    expect(outcome).toMatchObject({ fingerprint: s38, status: 'pr_opened' });
    expect(outcome.members).toEqual([
      { fingerprint: s35, controlId: 'S3.5' },
      expect.objectContaining({ fingerprint: other, status: 'no_target', branch: null, files: [], validation: null }),
    ]);
    expect(await states([s38!, s35!, other!])).toEqual(['pr_opened', 'pr_opened', 'no_target']);
  });
});

describe('a fix that needs a value only the user knows', () => {
  const TRAIL_TF = 'resource "aws_cloudtrail" "main" {\n  name           = "main"\n  s3_bucket_name = "acme-trail"\n}\n';
  const trailFinding = asffFinding({
    control: 'CloudTrail.2',
    Title: 'CloudTrail should have encryption at-rest enabled',
    Resources: [
      {
        Type: 'AwsCloudTrailTrail',
        Id: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/main`,
        Partition: 'aws',
        Region: REGION,
      },
    ],
  });

  it('ends recommended, naming the config key to set, and opens nothing; with the key set it opens the pull request', async () => {
    t = await taskWorld({ 'trail.tf': TRAIL_TF });
    const { state, outcome } = await remediate(t, await workItem(t, [trailFinding]));
    expect(state.patch).toMatchObject({ status: 'suggestion' });
    expect(outcome).toMatchObject({
      status: 'recommended',
      reason: expect.stringContaining('Configure skills.cloudTrailKmsKeyId') as unknown,
    });
    expect(state.pullRequest).toBeUndefined();
    await t.close();

    const key = 'arn:aws:kms:us-east-1:111122223333:alias/cloudtrail';
    t = await taskWorld({ 'trail.tf': TRAIL_TF }, `policy: { default: pull_request }\nskills:\n  cloudTrailKmsKeyId: ${key}\n`);
    const fixed = await remediate(t, await workItem(t, [trailFinding]));
    expect(fixed.outcome).toMatchObject({ status: 'pr_opened', skill: 'cloudtrail-kms' });
    expect(readFileSync(join(t.world.repo, 'trail.tf'), 'utf8')).toBe(TRAIL_TF);
    expect(await t.world.git('show', `${fixed.state.pullRequest!.branch}:trail.tf`)).toContain(`kms_key_id     = "${key}"`);
  });
});
