/**
 * The approval expiry sweep on a real SQLite ledger, with approvals made by the workflow's own
 * tasks, resuming executions through the Step Functions adapter (SDK mocked at the boundary).
 */
import { SendTaskFailureCommand, SFNClient, SFNServiceException, TaskTimedOut } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expireApprovals, type ExpiryDeps } from '../../src/approvals/expiry.js';
import type { TaskCallbacks } from '../../src/approvals/interactions.js';
import { stepFunctionsCallbacks } from '../../src/aws/step-functions.js';
import { ACTOR, CHANNEL, T0, TIMEOUT_MINUTES, at, openApprovalWorld, type ApprovalWorld, type MadeApproval } from './approval-workflow.js';

const sfn = mockClient(SFNClient);
const client = new SFNClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const $metadata = {};
const throttled = () => new SFNServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', $metadata });

let world: ApprovalWorld;
/** Everything the sweep handed to anything but the callbacks; checked for task tokens after each test. */
const seen: unknown[] = [];
const tokens: string[] = [];

beforeEach(() => {
  sfn.reset();
  sfn.on(SendTaskFailureCommand).resolves({});
  world = openApprovalWorld();
});
afterEach(async () => {
  for (const token of tokens) expect(JSON.stringify(seen)).not.toContain(token.slice(0, 40));
  seen.length = 0;
  tokens.length = 0;
  await world.cleanup();
});
afterAll(() => sfn.restore());

/** A workflow-made approval, its token remembered for the leak check. */
async function approval(i: number, requestedAt: Date, options: { posted?: boolean } = {}): Promise<MadeApproval> {
  const made = await world.awaitingApproval(i, requestedAt, options);
  tokens.push(made.taskToken);
  return made;
}

/** The sweep at `now` with recording ports; `overrides` replace any of them. */
function sweeper(overrides: Partial<ExpiryDeps> = {}) {
  const updates: unknown[] = [];
  const reports: string[] = [];
  const deps = (now: Date): ExpiryDeps => ({
    ledger: world.ledger,
    callbacks: stepFunctionsCallbacks(client),
    now: () => now,
    actor: ACTOR,
    updateMessage: (update) => (updates.push(update), seen.push(update), Promise.resolve()),
    report: (message) => (reports.push(message), seen.push(message)),
    ...overrides,
  });
  return { updates, reports, sweep: (now: Date) => expireApprovals(deps(now)) };
}

const failures = () => sfn.commandCalls(SendTaskFailureCommand).map((c) => c.args[0].input);
const stateOf = async (made: MadeApproval) => ({
  approval: (await world.ledger.getApproval(made.approvalId))?.status,
  finding: (await world.ledger.get(made.fingerprint))?.state,
});

describe('expireApprovals', () => {
  it('starts from approvals the workflow left awaiting a decision, with where it posted them', async () => {
    const made = await approval(1, T0);
    expect(await stateOf(made)).toEqual({ approval: 'pending', finding: 'awaiting_approval' });
    expect(made.expiresAt).toEqual(at(TIMEOUT_MINUTES));
    const posted = (await world.ledger.auditTrail(made.fingerprint)).filter((e) => e.type === 'approval.posted');
    expect(posted.map((e) => e.data)).toEqual([{ approvalId: made.approvalId, channel: CHANNEL, messageTs: '1795000000.000001' }]);
  });

  it('expires an overdue approval once: SendTaskFailure cloudmend.Expired, approval and finding expired', async () => {
    const overdue = await approval(1, T0);
    const fresh = await approval(2, at(90));
    const { sweep } = sweeper();
    expect(await sweep(at(120))).toEqual({ expired: 1, pending: 1, failed: 0 });
    expect(failures()).toEqual([
      { taskToken: overdue.taskToken, error: 'cloudmend.Expired', cause: `nobody decided before ${overdue.expiresAt.toISOString()}` },
    ]);
    expect(await world.ledger.getApproval(overdue.approvalId)).toMatchObject({ status: 'expired', decidedBy: ACTOR, decidedAt: at(120) });
    expect(await world.ledger.get(overdue.fingerprint)).toMatchObject({
      state: 'expired',
      updatedBy: ACTOR,
      data: { approvalId: overdue.approvalId },
    });
    expect(await stateOf(fresh)).toEqual({ approval: 'pending', finding: 'awaiting_approval' });

    expect(await sweep(at(121))).toEqual({ expired: 0, pending: 1, failed: 0 });
    expect(failures()).toHaveLength(1);
  });

  it('expires an approval whose deadline is exactly now', async () => {
    const made = await approval(1, T0);
    expect(await sweeper().sweep(made.expiresAt)).toEqual({ expired: 1, pending: 0, failed: 0 });
    expect(await stateOf(made)).toEqual({ approval: 'expired', finding: 'expired' });
  });

  it('leaves approvals before their deadline untouched and counts them pending', async () => {
    const a = await approval(1, T0);
    const b = await approval(2, at(30));
    const before = [await world.ledger.getApproval(a.approvalId), await world.ledger.getApproval(b.approvalId)];
    const { sweep, updates } = sweeper();
    expect(await sweep(at(59))).toEqual({ expired: 0, pending: 2, failed: 0 });
    expect(sfn.calls()).toHaveLength(0);
    expect(updates).toEqual([]);
    expect([await world.ledger.getApproval(a.approvalId), await world.ledger.getApproval(b.approvalId)]).toEqual(before);
  });

  it('leaves an approval pending and counts it failed when resuming is throttled, and expires it on the next sweep', async () => {
    const made = await approval(1, T0);
    sfn.on(SendTaskFailureCommand).rejectsOnce(throttled()).resolves({});
    const { sweep, reports } = sweeper();
    // The counts are disjoint: the failed approval is not also counted pending.
    expect(await sweep(at(61))).toEqual({ expired: 0, pending: 0, failed: 1 });
    expect(await stateOf(made)).toEqual({ approval: 'pending', finding: 'awaiting_approval' });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain(made.approvalId);
    expect(reports[0]).toContain('cloudmend.Transient');

    expect(await sweep(at(66))).toEqual({ expired: 1, pending: 0, failed: 0 });
    expect(await stateOf(made)).toEqual({ approval: 'expired', finding: 'expired' });
    expect(failures().map((f) => f.taskToken)).toEqual([made.taskToken, made.taskToken]);
  });

  it('goes on with the next overdue approval after one fails', async () => {
    const first = await approval(1, T0);
    const second = await approval(2, at(1));
    sfn.on(SendTaskFailureCommand).rejectsOnce(throttled()).resolves({});
    expect(await sweeper().sweep(at(120))).toEqual({ expired: 1, pending: 0, failed: 1 });
    expect(await stateOf(first)).toEqual({ approval: 'pending', finding: 'awaiting_approval' });
    expect(await stateOf(second)).toEqual({ approval: 'expired', finding: 'expired' });
  });

  it('counts an error it cannot retry as failed too and keeps the approval pending', async () => {
    const made = await approval(1, T0);
    sfn
      .on(SendTaskFailureCommand)
      .rejects(new SFNServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'not allowed', $metadata }));
    const { sweep, reports } = sweeper();
    expect(await sweep(at(61))).toEqual({ expired: 0, pending: 0, failed: 1 });
    expect(await stateOf(made)).toEqual({ approval: 'pending', finding: 'awaiting_approval' });
    expect(reports[0]).toMatch(/AccessDeniedException: not allowed/);
  });

  it.each<[string, () => Partial<ExpiryDeps>]>([
    [
      'Step Functions says the task timed out',
      () => (sfn.on(SendTaskFailureCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata })), {}),
    ],
    [
      'a callback throws an error named TaskGoneError',
      () => ({
        callbacks: {
          succeed: () => Promise.resolve(),
          fail: () => Promise.reject(Object.assign(new Error('gone'), { name: 'TaskGoneError' })),
        } satisfies TaskCallbacks,
      }),
    ],
  ])('still expires the approval when %s', async (_, arrange) => {
    const made = await approval(1, T0);
    const { sweep, reports } = sweeper(arrange());
    expect(await sweep(at(61))).toEqual({ expired: 1, pending: 0, failed: 0 });
    expect(await stateOf(made)).toEqual({ approval: 'expired', finding: 'expired' });
    expect(reports).toEqual([]);
  });

  describe('the Slack message', () => {
    it('is updated where approval.posted says it was posted, with the expiry and the finding', async () => {
      const made = await approval(7, T0);
      const { sweep, updates } = sweeper();
      await sweep(at(61));
      const summary = (await world.ledger.get(made.fingerprint))?.summary;
      expect(summary).toMatchObject({ controlId: 'S3.8', resourceId: 'arn:aws:s3:::acme-000007' });
      expect(updates).toEqual([
        {
          channel: CHANNEL,
          ts: '1795000000.000007',
          approvalId: made.approvalId,
          fingerprint: made.fingerprint,
          finding: summary,
          outcome: { status: 'expired', expiresAt: made.expiresAt },
        },
      ]);
    });

    it('updates each expired approval in its own message', async () => {
      const a = await approval(1, T0);
      const b = await approval(2, at(5));
      const { sweep, updates } = sweeper();
      await sweep(at(120));
      expect(updates.map((u) => (u as { approvalId: string; ts: string }).approvalId)).toEqual([a.approvalId, b.approvalId]);
      expect(updates.map((u) => (u as { ts: string }).ts)).toEqual(['1795000000.000001', '1795000000.000002']);
    });

    it('is not touched when the request was never posted', async () => {
      const made = await approval(1, T0, { posted: false });
      const { sweep, updates } = sweeper();
      expect(await sweep(at(61))).toEqual({ expired: 1, pending: 0, failed: 0 });
      expect(updates).toEqual([]);
      expect(await stateOf(made)).toEqual({ approval: 'expired', finding: 'expired' });
    });

    it('failing to update does not fail the sweep: the approval stays expired and the failure is reported', async () => {
      const made = await approval(1, T0);
      const { sweep, reports } = sweeper({ updateMessage: () => Promise.reject(new Error('message_not_found')) });
      expect(await sweep(at(61))).toEqual({ expired: 1, pending: 0, failed: 0 });
      expect(await stateOf(made)).toEqual({ approval: 'expired', finding: 'expired' });
      expect(reports).toEqual([`message update for ${made.approvalId} failed: message_not_found`]);
      expect(failures()).toHaveLength(1);
    });
  });
});
