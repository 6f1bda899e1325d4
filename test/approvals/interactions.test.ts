import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  handleSlackInteraction,
  type HttpResponse,
  type InteractionDeps,
  type InteractionRequest,
} from '../../src/approvals/interactions.js';
import type { Artifacts } from '../../src/artifacts/port.js';
import type { Ledger } from '../../src/ledger/port.js';
import {
  APPROVAL_ID,
  CHANNEL,
  FINGERPRINT,
  MESSAGE_TS,
  SECRET,
  TASK_TOKEN,
  at,
  click,
  clickPayload,
  formBody,
  ledgerWithPendingApproval,
  signedRequest,
  snapshot,
} from './fixtures.js';

let ledger: Ledger;
let artifacts: Artifacts;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ ledger, artifacts, cleanup } = await ledgerWithPendingApproval()));
afterEach(async () => {
  // Whatever happened in the test, the task token went nowhere but the callbacks.
  expect(JSON.stringify(seen)).not.toContain(TASK_TOKEN.slice(0, 40));
  seen.length = 0;
  await cleanup();
});

/** Everything the handler sent anywhere except the callbacks, checked for the token after each test. */
const seen: unknown[] = [];

/** Ports recording what the handler did; follow-ups wait in `pending` until `flush`. */
function harness(overrides: Partial<InteractionDeps> = {}) {
  const calls = {
    succeed: [] as unknown[][],
    fail: [] as unknown[][],
    updates: [] as unknown[],
    ephemerals: [] as unknown[],
    reports: [] as string[],
  };
  const pending: (() => Promise<void>)[] = [];
  let now = at(60);
  const deps: InteractionDeps = {
    signingSecret: SECRET,
    ledger,
    artifacts,
    approvers: { users: ['U0ALICE', 'U0BOB'], groups: [] },
    groupMembers: () => Promise.resolve([]),
    callbacks: {
      succeed: (...args) => (calls.succeed.push(args), Promise.resolve()),
      fail: (...args) => (calls.fail.push(args), Promise.resolve()),
    },
    updateMessage: (update) => (calls.updates.push(update), seen.push(update), Promise.resolve()),
    postEphemeral: (reply) => (calls.ephemerals.push(reply), seen.push(reply), Promise.resolve()),
    defer: (work) => void pending.push(work),
    report: (level, message) => (calls.reports.push(`${level}: ${message}`), seen.push(message)),
    now: () => now,
    ...overrides,
  };
  return {
    calls,
    setNow: (date: Date) => (now = date),
    handle: async (request: InteractionRequest): Promise<HttpResponse> => {
      const response = await handleSlackInteraction(request, deps);
      seen.push(response);
      return response;
    },
    flush: async () => {
      for (const work of pending.splice(0)) await work();
    },
  };
}

const text = (response: HttpResponse): string => (JSON.parse(response.body) as { text: string }).text;
const ephemeralOk = (response: HttpResponse): void => {
  expect(response.statusCode).toBe(200);
  expect(JSON.parse(response.body)).toMatchObject({ response_type: 'ephemeral', replace_original: false });
};

describe('handleSlackInteraction: decisions', () => {
  it('approves for an approver: one SendTaskSuccess with the token, ledger approved, message updated after the answer', async () => {
    const h = harness();
    const response = await h.handle(click(at(60)));
    ephemeralOk(response);
    expect(h.calls.succeed).toEqual([[TASK_TOKEN, { approvalId: APPROVAL_ID, approved: true, by: 'slack:U0ALICE' }]]);
    expect(h.calls.fail).toEqual([]);
    expect(await ledger.getApproval(APPROVAL_ID)).toMatchObject({ status: 'approved', decidedBy: 'slack:U0ALICE', decidedAt: at(60) });
    expect(await ledger.get(FINGERPRINT)).toMatchObject({ state: 'approved', updatedBy: 'slack:U0ALICE' });
    expect(h.calls.updates).toEqual([]);
    await h.flush();
    expect(h.calls.updates).toEqual([
      {
        channel: CHANNEL,
        ts: MESSAGE_TS,
        approvalId: APPROVAL_ID,
        fingerprint: FINGERPRINT,
        finding: expect.objectContaining({ controlId: 'S3.8' }) as unknown,
        outcome: { status: 'approved', by: 'slack:U0ALICE', at: at(60) },
      },
    ]);
    expect(h.calls.ephemerals).toEqual([]);
  });

  it('rejects: SendTaskFailure with cloudmend.Rejected, which the state machine catches', async () => {
    const h = harness();
    ephemeralOk(await h.handle(click(at(60), { actionId: 'cloudmend_reject' })));
    expect(h.calls.fail).toEqual([[TASK_TOKEN, 'cloudmend.Rejected', 'rejected by slack:U0ALICE']]);
    expect(h.calls.succeed).toEqual([]);
    expect(await ledger.get(FINGERPRINT)).toMatchObject({ state: 'rejected' });
  });

  it('answers a second click politely and never calls back twice', async () => {
    const h = harness();
    await h.handle(click(at(60)));
    const second = await h.handle(click(at(61), { user: 'U0BOB', actionId: 'cloudmend_reject' }));
    ephemeralOk(second);
    expect(text(second)).toBe('This change was already approved by <@U0ALICE>. Nothing was changed.');
    expect(h.calls.succeed).toHaveLength(1);
    expect(h.calls.fail).toEqual([]);
    await h.flush();
    expect(h.calls.ephemerals).toEqual([{ channel: CHANNEL, user: 'U0BOB', text: text(second) }]);
    expect(await ledger.get(FINGERPRINT)).toMatchObject({ state: 'approved' });
  });

  it('replays of the same signed request change nothing', async () => {
    const h = harness();
    const request = click(at(60));
    await h.handle(request);
    const before = await snapshot(ledger);
    h.setNow(at(120));
    expect(text(await h.handle(request))).toMatch(/already approved/);
    expect(await snapshot(ledger)).toEqual(before);
    expect(h.calls.succeed).toHaveLength(1);
  });

  it('lets exactly one of two simultaneous clicks decide', async () => {
    const h = harness();
    await Promise.all([h.handle(click(at(60))), h.handle(click(at(60), { user: 'U0BOB', actionId: 'cloudmend_reject' }))]);
    expect(h.calls.succeed.length + h.calls.fail.length).toBe(1);
  });

  it('answers a click after the deadline with the expiry, and resumes the execution as expired, once', async () => {
    const h = harness();
    h.setNow(at(3660));
    const response = await h.handle(click(at(3660)));
    expect(text(response)).toMatch(/^This approval request expired <!date\^1740834000\^/);
    expect(h.calls.succeed).toEqual([]);
    expect(h.calls.fail).toMatchObject([[expect.any(String), 'cloudmend.Expired', expect.stringMatching(/^nobody decided before/)]]);
    expect(await ledger.getApproval(APPROVAL_ID)).toMatchObject({ status: 'expired' });
    await h.flush();
    expect(h.calls.updates).toMatchObject([{ outcome: { status: 'expired', expiresAt: at(3600) } }]);
    await h.handle(click(at(3670)));
    expect(h.calls.fail).toHaveLength(1);
  });

  it('answers a click on an unknown approval politely', async () => {
    const h = harness();
    for (const value of ['apr_ffffffffffffffff', 'not an id <!channel>']) {
      expect(text(await h.handle(click(at(60), { value })))).toBe('cloudmend does not know this approval request. Nothing was changed.');
    }
    expect(h.calls.succeed).toEqual([]);
    expect(await ledger.getApproval(APPROVAL_ID)).toMatchObject({ status: 'pending' });
  });
});

describe('handleSlackInteraction: who may decide', () => {
  it('refuses a non-approver with 403 and an ephemeral reply, and leaves the finding waiting', async () => {
    const h = harness();
    const before = await snapshot(ledger);
    const response = await h.handle(click(at(60), { user: 'U0MALLORY' }));
    expect(response.statusCode).toBe(403);
    expect(text(response)).toMatch(/^You are not a cloudmend approver/);
    expect(await snapshot(ledger)).toEqual(before);
    expect(h.calls.succeed).toEqual([]);
    await h.flush();
    expect(h.calls.ephemerals).toEqual([{ channel: CHANNEL, user: 'U0MALLORY', text: text(response) }]);
    expect(h.calls.reports).toEqual(['warn: slack:U0MALLORY is not an approver; approved refused']);
  });

  it('accepts members of an approver group, refuses others, and refuses when membership cannot be read', async () => {
    const groups = { users: [], groups: ['S0EMPTY', 'S0SECURITY'] };
    const members = (id: string): Promise<string[]> => Promise.resolve(id === 'S0SECURITY' ? ['U0GROUPIE'] : []);
    const broken = harness({ approvers: groups, groupMembers: () => Promise.reject(new Error('usergroups.users.list: ratelimited')) });
    const unknown = await broken.handle(click(at(60), { user: 'U0GROUPIE' }));
    expect(unknown.statusCode).toBe(503);
    expect(text(unknown)).toMatch(/could not check your approver group membership/);
    const h = harness({ approvers: groups, groupMembers: members });
    expect(text(await h.handle(click(at(60), { user: 'U0ALICE' })))).toMatch(/not a cloudmend approver/);
    expect(await ledger.getApproval(APPROVAL_ID)).toMatchObject({ status: 'pending' });
    await h.handle(click(at(60), { user: 'U0GROUPIE' }));
    expect(h.calls.succeed).toEqual([[TASK_TOKEN, { approvalId: APPROVAL_ID, approved: true, by: 'slack:U0GROUPIE' }]]);
  });

  it('lets nobody decide when no approvers are configured', async () => {
    const h = harness({ approvers: { users: [], groups: [] } });
    expect(text(await h.handle(click(at(60))))).toMatch(/not a cloudmend approver/);
    expect(h.calls.succeed).toEqual([]);
  });
});

describe('handleSlackInteraction: requests that are not genuine', () => {
  const body = formBody(clickPayload());
  const ts = String(Math.floor(at(60).getTime() / 1000));
  const valid = signedRequest(body, at(60));
  it.each<[string, InteractionRequest, Partial<InteractionDeps>?]>([
    ['a forged signature (another secret)', signedRequest(body, at(60), 'not-the-secret')],
    ['a stale timestamp', signedRequest(body, at(60 - 301))],
    ['a timestamp from the future', signedRequest(body, at(60 + 301))],
    [
      'a tampered body',
      { ...valid, body: formBody(clickPayload({ user: 'U0ALICE', actionId: 'cloudmend_approve', value: 'apr_ffffffffffffffff' })) },
    ],
    ['a body with a byte appended', { ...valid, body: `${body}&x=1` }],
    ['a missing signature header', { headers: { 'X-Slack-Request-Timestamp': ts }, body }],
    ['a missing timestamp header', { headers: { 'X-Slack-Signature': valid.headers['X-Slack-Signature'] }, body }],
    ['no headers', { headers: {}, body }],
    ['an unset signing secret', signedRequest(body, at(60), ''), { signingSecret: '' }],
  ])('answers 401 to %s and changes nothing', async (_, request, overrides) => {
    const h = harness(overrides);
    const before = await snapshot(ledger);
    const response = await h.handle(request);
    expect(response).toEqual({ statusCode: 401, headers: { 'content-type': 'text/plain' }, body: 'unauthorized' });
    await h.flush();
    expect(await snapshot(ledger)).toEqual(before);
    expect(h.calls).toMatchObject({ succeed: [], fail: [], updates: [], ephemerals: [] });
    expect(h.calls.reports).toEqual([expect.stringMatching(/^warn: refused an unsigned or stale request \(\w+\)$/)]);
  });

  it('reads base64 bodies (Lambda Function URLs, lower-case headers) and verifies the decoded bytes', async () => {
    const h = harness();
    const signed = signedRequest(body, at(60));
    const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
    ephemeralOk(await h.handle({ headers, body: Buffer.from(body).toString('base64'), isBase64Encoded: true }));
    expect(h.calls.succeed).toHaveLength(1);
  });

  it.each([
    ['a body without payload', 'hello=world'],
    ['a payload that is not JSON', 'payload=%7Bnot-json'],
    ['a payload that is not an object', 'payload=42'],
    ['a block_actions payload without a user', formBody({ ...clickPayload(), user: undefined })],
    ['a block_actions payload with a malformed user id', formBody(clickPayload({ user: 'U0ALICE<!channel>' }))],
  ])('answers 400 to %s, even signed', async (_, garbage) => {
    const h = harness();
    expect(await h.handle(signedRequest(garbage, at(60)))).toMatchObject({ statusCode: 400, body: 'bad request' });
    expect(await ledger.getApproval(APPROVAL_ID)).toMatchObject({ status: 'pending' });
  });

  it.each([
    ['another interaction type', clickPayload({ type: 'view_submission' })],
    ['another action', clickPayload({ actionId: 'someone_elses_button' })],
  ])('answers 200 nothing-to-do to %s', async (_, payload) => {
    const h = harness();
    const response = await h.handle(signedRequest(formBody(payload), at(60)));
    ephemeralOk(response);
    expect(text(response)).toBe('Nothing to do for this action.');
    expect(await ledger.getApproval(APPROVAL_ID)).toMatchObject({ status: 'pending' });
  });
});

describe('handleSlackInteraction: failures and timing', () => {
  it('answers well within 3 seconds: only the ledger write and the callback happen before the answer', async () => {
    let updateStarted = false;
    // The default `defer` starts follow-ups without waiting; this update never finishes.
    const h = harness({ defer: undefined, updateMessage: () => ((updateStarted = true), new Promise<void>(() => undefined)) });
    const started = performance.now();
    const response = await h.handle(click(at(60)));
    const elapsed = performance.now() - started;
    ephemeralOk(response);
    expect(h.calls.succeed).toHaveLength(1);
    expect(updateStarted).toBe(true);
    expect(elapsed).toBeLessThan(1000);
  });

  it('keeps the decision when a follow-up fails, and reports it', async () => {
    const h = harness({ updateMessage: () => Promise.reject(new Error('chat.update failed: message_not_found')) });
    await h.handle(click(at(60)));
    await h.flush();
    expect(await ledger.get(FINGERPRINT)).toMatchObject({ state: 'approved' });
    expect(h.calls.reports).toEqual([`warn: message update for ${APPROVAL_ID} failed: Error: chat.update failed: message_not_found`]);
  });

  it('says so when the callback fails after the decision, without the token in any message', async () => {
    const h = harness({
      callbacks: { succeed: () => Promise.reject(new Error(`InvalidToken: ${TASK_TOKEN} is not valid`)), fail: () => Promise.resolve() },
    });
    const response = await h.handle(click(at(60)));
    ephemeralOk(response);
    expect(text(response)).toMatch(/^Your decision is recorded, but the workflow has not taken it yet/);
    expect(h.calls.reports).toEqual([
      `error: approval ${APPROVAL_ID} was approved by slack:U0ALICE but resuming the workflow failed: Error: InvalidToken: [task token] is not valid`,
    ]);
    expect(await ledger.getApproval(APPROVAL_ID)).toMatchObject({ status: 'approved' });
  });

  it('answers 500 when the ledger cannot record the decision, and calls nothing back', async () => {
    const failing = new Proxy(ledger, {
      get: (target, property: keyof Ledger) =>
        property === 'decideApproval'
          ? () => Promise.reject(new Error('database is locked'))
          : (target[property] as (...a: unknown[]) => unknown).bind(target),
    });
    const h = harness({ ledger: failing });
    const response = await h.handle(click(at(60)));
    expect(response.statusCode).toBe(500);
    expect(h.calls.succeed).toEqual([]);
    expect(h.calls.reports).toEqual([`error: could not record approved of ${APPROVAL_ID} by slack:U0ALICE: Error: database is locked`]);
  });
});

describe('handleSlackInteraction: drift choices', () => {
  /** The approval becomes a drift decision: its finding's patch codifies drift (or cannot, with `codify: false`). */
  const asDrift = async (codify?: false): Promise<void> => {
    await cleanup();
    ({ ledger, artifacts, cleanup } = await ledgerWithPendingApproval({ differences: ['ingress 0.0.0.0/0:22 live'], codify }));
  };

  it.each([
    ['codify', 'succeed', 'approved'],
    ['revert', 'fail', 'rejected'],
    ['ignore', 'fail', 'rejected'],
  ] as const)('%s: stored with the decision and passed to the workflow', async (choice, callback, status) => {
    await asDrift();
    const h = harness();
    const response = await h.handle(click(at(60), { actionId: `cloudmend_${choice}` }));
    ephemeralOk(response);
    expect(text(response)).toMatch(new RegExp(`^${choice[0]!.toUpperCase()}${choice.slice(1)}:`));
    expect(await ledger.getApproval(APPROVAL_ID)).toMatchObject({ status, choice, decidedBy: 'slack:U0ALICE' });
    if (callback === 'succeed') {
      expect(h.calls.succeed).toEqual([[TASK_TOKEN, { approvalId: APPROVAL_ID, approved: true, by: 'slack:U0ALICE', choice: 'codify' }]]);
    } else {
      expect(h.calls.fail).toEqual([
        [TASK_TOKEN, choice === 'revert' ? 'cloudmend.Revert' : 'cloudmend.Ignore', `${choice} by slack:U0ALICE`],
      ]);
    }
    await h.flush();
    expect(h.calls.updates).toEqual([expect.objectContaining({ outcome: { status, by: 'slack:U0ALICE', at: at(60), choice } })]);
    // A second click, of any button, changes nothing.
    const again = await h.handle(click(at(61), { actionId: 'cloudmend_codify', user: 'U0BOB' }));
    expect(text(again)).toMatch(new RegExp(`already decided \\(${choice}\\)`));
    expect(await ledger.getApproval(APPROVAL_ID)).toMatchObject({ choice, decidedBy: 'slack:U0ALICE' });
  });

  it.each([
    ['codify', 'revert, ignore', false],
    ['approve', 'codify, revert, ignore', undefined],
    ['reject', 'codify, revert, ignore', undefined],
  ] as const)(
    'refuses a forged %s where it is not offered: an ephemeral reply, nothing recorded or called back',
    async (action, accepted, codify) => {
      await asDrift(codify);
      const h = harness();
      const before = await snapshot(ledger);
      const response = await h.handle(click(at(60), { actionId: `cloudmend_${action}` }));
      ephemeralOk(response);
      expect(text(response)).toBe(
        `${APPROVAL_ID} is a drift decision that accepts ${accepted}, not ${action}${codify === false ? ' (cloudmend cannot write these live values into the code: write them by hand)' : ''}. Nothing was changed.`,
      );
      expect(await snapshot(ledger)).toEqual(before);
      expect([...h.calls.succeed, ...h.calls.fail]).toEqual([]);
      await h.flush();
      expect(h.calls.ephemerals).toEqual([expect.objectContaining({ text: text(response) })]);
    },
  );

  it('refuses a drift choice on a plain approval', async () => {
    const h = harness();
    const response = await h.handle(click(at(60), { actionId: 'cloudmend_codify' }));
    expect(text(response)).toMatch(/is an approval that accepts approve, reject, not codify\. Nothing was changed\.$/);
    expect(await ledger.getApproval(APPROVAL_ID)).toMatchObject({ status: 'pending' });
  });
});
