/**
 * RequestApproval, OpenPullRequest, Record and RecordFailure on a work item: the item asks one
 * approval, every finding of it waits on it and follows its decision; a failure fails every finding.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decideApproval } from '../../../src/workflow/approvals.js';
import type { FindingOutcome, IterationState, WorkItem } from '../../../src/workflow/types.js';
import { bucketFinding, taskWorld, workItem, type TaskWorld } from './support.js';

const BUCKETS_TF = ['logs', 'audit'].map((n) => `resource "aws_s3_bucket" "${n}" {\n  bucket = "acme-${n}"\n}\n`).join('\n');

let t: TaskWorld | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A batch of S3.8 on two buckets, patched and allowed, waiting for its approval (tier pull_request_with_approval). */
async function patchedBatch(): Promise<{ state: IterationState; fps: readonly string[] }> {
  t = await taskWorld({ 'storage.tf': BUCKETS_TF }, 'policy: { default: pull_request_with_approval }\n');
  const item: WorkItem = await workItem(t, [bucketFinding('S3.8', 'acme-logs'), bucketFinding('S3.8', 'acme-audit')], 'batch-1');
  let state: IterationState = { ...item, claim: await t.run('Claim', item) };
  state = { ...state, target: await t.run('Locate', state) };
  state = { ...state, patch: await t.run('ApplySkill', state) };
  state = { ...state, policy: await t.run('CheckPolicy', state) };
  expect(state.policy).toMatchObject({ allowed: true, tier: 'pull_request_with_approval' });
  return { state, fps: state.claim!.claimed };
}

const states = (fps: readonly string[]) => Promise.all(fps.map(async (fp) => (await t!.ctx.ledger.get(fp))?.state));

describe('RequestApproval', () => {
  it('asks once for the item: the approval is its first finding’s, every finding waits on it', async () => {
    const { state, fps } = await patchedBatch();
    const { approvalId } = await t!.run<{ approvalId: string }>('RequestApproval', { input: state, taskToken: 'token-1' });
    expect(await t!.ctx.ledger.getApproval(approvalId)).toMatchObject({ fingerprint: fps[0], status: 'pending' });
    expect(await states(fps)).toEqual(['awaiting_approval', 'awaiting_approval']);
    expect(t!.world.approvals).toEqual([
      expect.objectContaining({ approvalId, title: expect.stringMatching(/\(2 resources, one pull request\)$/) as unknown }),
    ]);
    expect(t!.world.approvals[0]?.resource).toBe('2 × AWS::S3::Bucket: acme-logs, acme-audit');
  });
});

describe('OpenPullRequest after an approval', () => {
  it('opens the batch’s one pull request for every finding, each moving through approved', async () => {
    const { state, fps } = await patchedBatch();
    const { approvalId } = await t!.run<{ approvalId: string }>('RequestApproval', { input: state, taskToken: 'token-1' });
    await decideApproval(t!.ctx.ledger, { id: approvalId, decision: 'approved', actor: 'U1', at: new Date() });
    const approved = { ...state, approval: { approvalId, approved: true, by: 'U1' } };
    const pullRequest = await t!.run<IterationState['pullRequest']>('OpenPullRequest', approved);
    expect(pullRequest!.branch).toMatch(/^cloudmend\/s3\.8-batch-/);
    const outcome = await t!.run<FindingOutcome>('Record', { ...approved, pullRequest });
    expect(outcome).toMatchObject({ status: 'pr_opened', approval: { id: approvalId, decision: 'approved', by: 'U1' } });
    expect(outcome.members).toEqual([{ fingerprint: fps[1] }]);
    expect(await states(fps)).toEqual(['pr_opened', 'pr_opened']);
    const pr = await t!.ctx.ledger.getPullRequest(pullRequest!.id);
    expect(pr?.body).toContain('## Resources (2)');
  });
});

describe('Record of a declined approval', () => {
  it('moves every finding of the item to rejected, the approval’s own through the decision', async () => {
    const { state, fps } = await patchedBatch();
    const { approvalId } = await t!.run<{ approvalId: string }>('RequestApproval', { input: state, taskToken: 'token-1' });
    await decideApproval(t!.ctx.ledger, { id: approvalId, decision: 'rejected', actor: 'U2', at: new Date() });
    const outcome = await t!.run<FindingOutcome>('Record', { ...state, approvalError: { Error: 'cloudmend.Rejected', Cause: 'no' } });
    expect(outcome).toMatchObject({ status: 'rejected', reason: 'no' });
    expect(await states(fps)).toEqual(['rejected', 'rejected']);
  });

  it('expires the approval and every finding when nobody decided', async () => {
    const { state, fps } = await patchedBatch();
    const { approvalId } = await t!.run<{ approvalId: string }>('RequestApproval', { input: state, taskToken: 'token-1' });
    const outcome = await t!.run<FindingOutcome>('Record', { ...state, approvalError: { Error: 'States.Timeout' } });
    expect(outcome).toMatchObject({ status: 'expired', approval: { decision: 'expired' } });
    expect(await t!.ctx.ledger.getApproval(approvalId)).toMatchObject({ status: 'expired' });
    expect(await states(fps)).toEqual(['expired', 'expired']);
  });
});

describe('RecordFailure', () => {
  it('fails every finding the item holds, expiring the approval they waited on', async () => {
    const { state, fps } = await patchedBatch();
    const { approvalId } = await t!.run<{ approvalId: string }>('RequestApproval', { input: state, taskToken: 'token-1' });
    const outcome = await t!.run<FindingOutcome>('RecordFailure', { ...state, error: { Error: 'cloudmend.Scm', Cause: 'push refused' } });
    expect(outcome).toMatchObject({ status: 'failed', reason: 'cloudmend.Scm: push refused', members: [{ fingerprint: fps[1] }] });
    expect(await states(fps)).toEqual(['failed', 'failed']);
    expect(await t!.ctx.ledger.getApproval(approvalId)).toMatchObject({ status: 'expired' });
  });

  it('records a finding that failed before its claim, so nothing is lost (n = 1)', async () => {
    t = await taskWorld({ 'storage.tf': BUCKETS_TF });
    const item = await workItem(t, [bucketFinding('S3.8')]);
    const outcome = await t.run<FindingOutcome>('RecordFailure', { ...item, error: { Error: 'Lambda.Unknown', Cause: 'boom' } });
    expect(outcome).toMatchObject({ status: 'failed', reason: 'Lambda.Unknown: boom' });
    expect(outcome.members).toBeUndefined();
    expect(await t.ctx.ledger.get(outcome.fingerprint)).toMatchObject({ state: 'failed' });
  });
});
