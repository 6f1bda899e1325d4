/**
 * Slack failing while approvers are asked, through the real remediate workflow with the real Slack
 * notifier (`slackApprovalNotifier`) over a Web API client that fails as @slack/web-api does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { slackApprovalNotifier, type SlackChatClient } from '../../src/approvals/slack-notifier.js';
import { isReclaimable, type FindingState } from '../../src/ledger/states.js';
import type { World } from '../local/fixture.js';
import { bucketsEvent, bucketsWorld, expectSettled, runOnce, statesOf, statuses, withLedger } from './support.js';

let world: World | undefined;
afterEach(() => {
  world?.cleanup();
  world = undefined;
});

const CHANNEL = 'C0123456789';

/** An error shaped like @slack/web-api's. */
const sdkError = (code: string, extra: object): Error => Object.assign(new Error(`An API error occurred: ${code}`), { code, ...extra });
const RATE_LIMITED = () => sdkError('slack_webapi_rate_limited_error', { retryAfter: 1 });
const CHANNEL_NOT_FOUND = () => sdkError('slack_webapi_platform_error', { data: { ok: false, error: 'channel_not_found' } });

/** A chat client whose first `times` posts fail with `failure()`; the rest are posted. */
function slack(times: number, failure: () => Error): { client: SlackChatClient; posted: string[]; tries: number } {
  const state = { posted: [] as string[], tries: 0 };
  let ts = 0;
  const client = {
    chat: {
      postMessage: (args: object) => {
        state.tries += 1;
        if (state.tries <= times) return Promise.reject(failure());
        // The buttons carry the approval id.
        state.posted.push(/apr_[0-9a-f]+/.exec(JSON.stringify(args))?.[0] ?? '?');
        return Promise.resolve({ ok: true, channel: CHANNEL, ts: `1795000000.${String((ts += 1)).padStart(6, '0')}` });
      },
    },
  } as unknown as SlackChatClient;
  return Object.assign(state, { client });
}

async function approvalsOf(w: World, fingerprint: string) {
  return withLedger(w, async (ledger) => (await ledger.listApprovals()).filter((a) => a.fingerprint === fingerprint));
}

async function postedOf(w: World, fingerprint: string) {
  return withLedger(w, async (ledger) =>
    (await ledger.auditTrail(fingerprint)).filter((e) => e.type === 'approval.posted').map((e) => e.data?.approvalId),
  );
}

describe('Slack failing while approvers are asked', () => {
  it('never ends a finding stuck or doubled when posting fails once: a run and a rerun open its pull request once', async () => {
    world = await bucketsWorld('', ['a']);
    const chat = slack(1, RATE_LIMITED);
    const first = await runOnce(world, bucketsEvent(['a']), {
      wrap: (ctx) => ({ ...ctx, approvals: slackApprovalNotifier({ client: chat.client, channel: CHANNEL }) }),
    });
    const [fp = ''] = first.out.results.map((r) => r.fingerprint);
    expect(['pr_opened', 'failed']).toContain(statuses(first)[fp]);
    const [state] = await statesOf(world, [fp]);
    expect(state === 'pr_opened' || isReclaimable(state as FindingState)).toBe(true);

    const again = await runOnce(world, bucketsEvent(['a']), {
      wrap: (ctx) => ({ ...ctx, approvals: slackApprovalNotifier({ client: chat.client, channel: CHANNEL }) }),
    });
    expect(['pr_opened', 'duplicate']).toContain(statuses(again)[fp]);
    expect(await statesOf(world, [fp])).toEqual(['pr_opened']);
    // Every approval that was decided had been posted.
    const approvals = await approvalsOf(world, fp);
    for (const a of approvals.filter((x) => x.status === 'approved')) expect(chat.posted).toContain(a.id);
  });

  // RequestApproval stores the approval before it posts: when posting fails, that approval is
  // retired (expired, never shown to anyone) and the finding goes back to patched for the retry.
  it('retries a transient Slack failure: the approvers are told once and the pull request opens in the same run', async () => {
    world = await bucketsWorld('', ['a']);
    const chat = slack(1, RATE_LIMITED);
    const run = await runOnce(world, bucketsEvent(['a']), {
      wrap: (ctx) => ({ ...ctx, approvals: slackApprovalNotifier({ client: chat.client, channel: CHANNEL }) }),
    });
    const [fp = ''] = run.out.results.map((r) => r.fingerprint);

    expect(run.out.results).toEqual([expect.objectContaining({ status: 'pr_opened' })]);
    expect(chat.tries).toBe(2);
    const approvals = await approvalsOf(world, fp);
    expect(approvals.map((a) => a.status)).toEqual(['expired', 'approved']);
    expect(chat.posted).toEqual([approvals[1]?.id]);
    expect(await postedOf(world, fp)).toEqual([approvals[1]?.id]);
    await expectSettled(world, [fp]);
  });

  it('fails the finding, with Slack’s reason, when the channel does not exist; a rerun asks again and opens the pull request once', async () => {
    world = await bucketsWorld('', ['a']);
    const broken = slack(Infinity, CHANNEL_NOT_FOUND);
    const first = await runOnce(world, bucketsEvent(['a']), {
      wrap: (ctx) => ({ ...ctx, approvals: slackApprovalNotifier({ client: broken.client, channel: CHANNEL }) }),
    });
    const [fp = ''] = first.out.results.map((r) => r.fingerprint);

    expect(first.out.results).toEqual([
      expect.objectContaining({
        status: 'failed',
        branch: null,
        reason: expect.stringMatching(
          /^cloudmend\.SlackFailed: Slack chat\.postMessage failed: channel_not_found: check approvals\.slack\.channel/,
        ) as unknown,
      }),
    ]);
    expect(broken.tries).toBe(1); // a permanent failure is not retried
    expect(await statesOf(world, [fp])).toEqual(['failed']);
    expect(await postedOf(world, fp)).toEqual([]);
    expect(await world.git('branch', '--list', 'cloudmend/*')).toBe('');

    const fixed = slack(0, CHANNEL_NOT_FOUND);
    const again = await runOnce(world, bucketsEvent(['a']), {
      wrap: (ctx) => ({ ...ctx, approvals: slackApprovalNotifier({ client: fixed.client, channel: CHANNEL }) }),
    });
    expect(again.out.results).toEqual([expect.objectContaining({ status: 'pr_opened' })]);
    const decided = (await approvalsOf(world, fp)).filter((a) => a.status === 'approved');
    expect(decided.map((a) => a.id)).toEqual(fixed.posted);
    expect(await postedOf(world, fp)).toEqual(fixed.posted);
  });

  // The approval of a finding whose approvers could not be told does not stay pending.
  it('leaves no approval waiting that nobody was told about', async () => {
    world = await bucketsWorld('', ['a']);
    const broken = slack(Infinity, CHANNEL_NOT_FOUND);
    const run = await runOnce(world, bucketsEvent(['a']), {
      wrap: (ctx) => ({ ...ctx, approvals: slackApprovalNotifier({ client: broken.client, channel: CHANNEL }) }),
    });
    expect(run.out.results.map((r) => r.status)).toEqual(['failed']);
    await expectSettled(
      world,
      run.out.results.map((r) => r.fingerprint),
    );
  });
});
