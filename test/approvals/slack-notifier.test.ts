import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackBlock } from '../../src/approvals/blocks.js';
import {
  postEphemeralReply,
  slackApprovalNotifier,
  slackFailure,
  updateApprovalMessage,
  type SlackChatClient,
} from '../../src/approvals/slack-notifier.js';
import type { ApprovalRequest } from '../../src/approvals/port.js';
import { APPROVAL_ID, CHANNEL, FINGERPRINT, MESSAGE_TS, TASK_TOKEN, at } from './fixtures.js';

const request: ApprovalRequest = {
  approvalId: APPROVAL_ID,
  fingerprint: FINGERPRINT,
  controlId: 'S3.8',
  title: 'S3 general purpose buckets should block public access <!channel>',
  severity: 'HIGH',
  resource: 'AwsS3Bucket logs',
  repository: 'acme/infra',
  skill: 's3-block-public-access',
  diff: '+ block_public_acls = true\n',
  validation: 'terraform validate: passed',
  expiresAt: at(3600),
};

/** A WebClient stand-in that records calls and answers like Slack (or fails with `failure`). */
function fakeSlack(failure?: Error): { client: SlackChatClient; calls: { method: string; args: Record<string, unknown> }[] } {
  const calls: { method: string; args: Record<string, unknown> }[] = [];
  const answer = <T>(method: string, args: object, result: T): Promise<T> => {
    calls.push({ method, args: args as Record<string, unknown> });
    return failure === undefined ? Promise.resolve(result) : Promise.reject(failure);
  };
  const client: SlackChatClient = {
    chat: {
      postMessage: (args) => answer('chat.postMessage', args, { ok: true, channel: CHANNEL, ts: MESSAGE_TS }),
      update: (args) => answer('chat.update', args, { ok: true, channel: CHANNEL, ts: MESSAGE_TS }),
      postEphemeral: (args) => answer('chat.postEphemeral', args, { ok: true, message_ts: '1.2' }),
    },
  };
  return { client, calls };
}

/** An error shaped like @slack/web-api's (see its errors.d.ts), with `extra` fields. */
const sdkError = (code: string, extra: object): Error => Object.assign(new Error(`An API error occurred: ${code}`), { code, ...extra });

describe('slackApprovalNotifier', () => {
  it('posts the approval message once, quietly (no unfurls, no name linking), and returns where it went', async () => {
    const { client, calls } = fakeSlack();
    const notifier = slackApprovalNotifier({ client, channel: CHANNEL });
    expect(await notifier.requestApproval(request)).toEqual({ channel: CHANNEL, messageTs: MESSAGE_TS });
    expect(calls).toHaveLength(1);
    const args = calls[0]?.args ?? {};
    expect(args).toMatchObject({ channel: CHANNEL, unfurl_links: false, unfurl_media: false, link_names: false, parse: 'none' });
    expect(args.text).toContain('&lt;!channel&gt;');
    const blocks = args.blocks as SlackBlock[];
    expect(blocks.find((b) => b.type === 'actions')?.elements.map((e) => e.value)).toEqual([APPROVAL_ID, APPROVAL_ID]);
  });

  it('never sees a task token: requests carry the approval id only', async () => {
    const { client: fake, calls } = fakeSlack();
    await slackApprovalNotifier({ client: fake, channel: CHANNEL }).requestApproval({
      ...request,
      taskToken: TASK_TOKEN,
    } as ApprovalRequest);
    expect(JSON.stringify(calls)).not.toContain(TASK_TOKEN.slice(0, 40));
  });

  it('turns rate limits, 5xx, Slack-side hiccups and network errors into cloudmend.Transient', async () => {
    for (const failure of [
      sdkError('slack_webapi_rate_limited_error', { retryAfter: 30 }),
      sdkError('slack_webapi_http_error', { statusCode: 503 }),
      sdkError('slack_webapi_http_error', { statusCode: 429 }),
      sdkError('slack_webapi_platform_error', { data: { ok: false, error: 'internal_error' } }),
      sdkError('slack_webapi_request_error', { original: new Error('ECONNRESET') }),
    ]) {
      const notifier = slackApprovalNotifier({ client: fakeSlack(failure).client, channel: CHANNEL });
      await expect(notifier.requestApproval(request)).rejects.toMatchObject({ name: 'cloudmend.Transient' });
    }
  });

  it('explains permanent failures with what to do, and is not retried', async () => {
    const cases = [
      [
        sdkError('slack_webapi_platform_error', { data: { ok: false, error: 'not_in_channel' } }),
        /not_in_channel: invite the cloudmend app/,
      ],
      [
        sdkError('slack_webapi_platform_error', { data: { ok: false, error: 'missing_scope', needed: 'chat:write' } }),
        /missing_scope \(chat:write\): add the missing scope/,
      ],
      [
        sdkError('slack_webapi_platform_error', { data: { ok: false, error: 'invalid_blocks' } }),
        /chat.postMessage failed: invalid_blocks$/,
      ],
      [sdkError('slack_webapi_http_error', { statusCode: 404 }), /answered HTTP 404/],
      [new TypeError('boom'), /failed unexpectedly \(TypeError\)/],
    ] as const;
    for (const [failure, message] of cases) {
      const notifier = slackApprovalNotifier({ client: fakeSlack(failure).client, channel: CHANNEL });
      const error = await notifier.requestApproval(request).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'cloudmend.SlackFailed' });
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('updateApprovalMessage and postEphemeralReply', () => {
  it('replaces the request with its outcome, buttons gone, via chat.update', async () => {
    const { client, calls } = fakeSlack();
    await updateApprovalMessage(client, {
      channel: CHANNEL,
      ts: MESSAGE_TS,
      approvalId: APPROVAL_ID,
      fingerprint: FINGERPRINT,
      outcome: { status: 'approved', by: 'slack:U0ALICE', at: at(60) },
    });
    expect(calls.map((c) => c.method)).toEqual(['chat.update']);
    expect(calls[0]?.args).toMatchObject({ channel: CHANNEL, ts: MESSAGE_TS, text: `cloudmend approval ${APPROVAL_ID}: approved` });
    expect((calls[0]?.args.blocks as SlackBlock[]).some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(calls[0]?.args)).toContain('<@U0ALICE>');
  });

  it('sends an ephemeral reply to one user, and maps its failures the same way', async () => {
    const { client, calls } = fakeSlack();
    await postEphemeralReply(client, { channel: CHANNEL, user: 'U0BOB', text: 'You are not a cloudmend approver.' });
    expect(calls).toEqual([
      { method: 'chat.postEphemeral', args: { channel: CHANNEL, user: 'U0BOB', text: 'You are not a cloudmend approver.' } },
    ]);
    const failing = fakeSlack(sdkError('slack_webapi_rate_limited_error', { retryAfter: 1 })).client;
    await expect(postEphemeralReply(failing, { channel: CHANNEL, user: 'U0BOB', text: 'x' })).rejects.toMatchObject({
      name: 'cloudmend.Transient',
    });
  });
});

// The real WebClient against a local HTTP server: the error shapes slackFailure reads are the SDK's, not our guess.
describe('with the real @slack/web-api WebClient', () => {
  const BOT_TOKEN = 'xoxb-0000-bot-token-that-must-not-leak';
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const path = req.url ?? '';
      if (path.endsWith('chat.update')) res.writeHead(429, { 'retry-after': '7' }).end();
      else if (path.endsWith('chat.postEphemeral')) res.writeHead(503).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'channel_not_found' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = (apiUrl: () => string): WebClient =>
    new WebClient(BOT_TOKEN, {
      slackApiUrl: apiUrl(),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    });

  it('maps platform, rate-limit and 5xx errors', async () => {
    const slack = client(() => url);
    await expect(slackApprovalNotifier({ client: slack, channel: 'C404' }).requestApproval(request)).rejects.toMatchObject({
      name: 'cloudmend.SlackFailed',
      code: 'channel_not_found',
    });
    const view = { approvalId: APPROVAL_ID, fingerprint: FINGERPRINT, outcome: { status: 'expired', expiresAt: at(3600) } } as const;
    await expect(updateApprovalMessage(slack, { channel: CHANNEL, ts: MESSAGE_TS, ...view })).rejects.toMatchObject({
      name: 'cloudmend.Transient',
      message: expect.stringContaining('retry after 7s') as unknown,
    });
    await expect(postEphemeralReply(slack, { channel: CHANNEL, user: 'U0BOB', text: 'x' })).rejects.toMatchObject({
      name: 'cloudmend.Transient',
      message: expect.stringContaining('HTTP 503') as unknown,
    });
  });

  it('drops the SDK request error, whose original request holds the bot token', async () => {
    const unreachable = client(() => 'http://127.0.0.1:9/api/');
    const raw = await unreachable.chat.postMessage({ channel: CHANNEL, text: 'x' }).catch((e: unknown) => e);
    expect(inspect(raw, { depth: 8 })).toContain(BOT_TOKEN);
    const mapped = slackFailure('chat.postMessage', raw);
    expect(mapped.name).toBe('cloudmend.Transient');
    expect(inspect(mapped, { depth: 8 })).not.toContain(BOT_TOKEN);
    expect(mapped.cause).toBeUndefined();
  });
});
