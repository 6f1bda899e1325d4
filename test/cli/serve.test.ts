/**
 * `cloudmend serve` over real HTTP: an event posted to /events waits for approval, a Slack click
 * signed with the signing secret decides it through /slack/interactions, and the branch appears in
 * the repository. Refusals (forged, unauthorised) change nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startServe, type Serving } from '../../src/cli/serve.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { clickPayload, formBody, sign } from '../approvals/fixtures.js';
import { makeWorld, type World } from '../local/fixture.js';
import { asffFinding, importedEvent } from '../support/events.js';

const SECRET = 'serve-signing-secret-0123456789abcdef';
const APPROVERS = 'approvals: { approvers: { users: [U0APPROVER] } }\n';

let world: World | undefined;
let serving: Serving | undefined;
afterEach(async () => {
  await serving?.close();
  serving = undefined;
  world?.cleanup();
  world = undefined;
});

async function serve(env: NodeJS.ProcessEnv = { SLACK_SIGNING_SECRET: SECRET }, configExtra = APPROVERS) {
  world = await makeWorld(configExtra);
  const stderr: string[] = [];
  serving = await startServe({ port: '0', config: world.configFile, state: world.state }, { stdout: () => undefined, stderr: (t) => void stderr.push(t), cwd: world.root, env });
  return { url: serving.url, stderr, world };
}

const bucketEvent = () => importedEvent([asffFinding({ Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-logs' }] })]);

function slackPost(url: string, payload: unknown, secret = SECRET): Promise<Response> {
  const body = formBody(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  return fetch(`${url}/slack/interactions`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': sign(body, timestamp, secret) }, body });
}

async function pendingApproval(state: string): Promise<string> {
  const ledger = openSqliteLedger({ path: `${state}/ledger.db` });
  try {
    for (let i = 0; i < 200; i++) {
      const [pending] = await ledger.listApprovals({ status: 'pending' });
      if (pending) return pending.id;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('no approval was requested');
  } finally {
    await ledger.close();
  }
}

describe('cloudmend serve', () => {
  it('runs a posted event, waits for a Slack approval, refuses forged and unauthorised clicks, and opens the branch on an approver’s click', async () => {
    const { url, world: w } = await serve();
    // Answered when the run ends, so not awaited yet: the run is waiting for the click below.
    const answer = fetch(`${url}/events?wait=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bucketEvent()) });
    const approvalId = await pendingApproval(w.state);

    expect((await slackPost(url, clickPayload({ user: 'U0APPROVER', value: approvalId }), 'a-forged-secret-0123456789abcdef')).status).toBe(401);
    const refused = await slackPost(url, clickPayload({ user: 'U0MALLORY', value: approvalId }));
    expect(refused.status).toBe(403);
    expect(await w.git('branch', '--list', 'cloudmend/*')).toBe('');

    const approved = await slackPost(url, clickPayload({ user: 'U0APPROVER', value: approvalId }));
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as { text: string }).text).toMatch(/Approved/);

    const posted = await answer;
    expect(posted.status).toBe(200);
    const out = (await posted.json()) as { results: { status: string; branch?: string; approval?: { by?: string } }[] };
    expect(out.results).toHaveLength(1);
    expect(out.results[0]).toMatchObject({ status: 'pr_opened', approval: { by: 'slack:U0APPROVER' } });
    expect(out.results[0]?.branch).toMatch(/^cloudmend\/s3\.8-/);
    expect(await w.git('branch', '--list', 'cloudmend/*')).toContain(out.results[0]!.branch);
  }, 60_000);

  it('accepts an event at once without ?wait, and refuses what is not one event', async () => {
    const { url, stderr } = await serve();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/events`, { method: 'POST', body: 'not json' })).status).toBe(400);
    expect((await fetch(`${url}/events`, { method: 'POST', body: '[1, 2]' })).status).toBe(400);
    const big = await fetch(`${url}/events`, { method: 'POST', body: JSON.stringify({ detail: 'x'.repeat(300 * 1024) }) });
    expect(big.status).toBe(413);
    const rejected = await fetch(`${url}/events?wait=1`, { method: 'POST', body: JSON.stringify({ hello: 'world' }) });
    expect(rejected.status).toBe(422);
    expect(await fetch(`${url}/nowhere`).then((r) => r.status)).toBe(404);
    expect(await fetch(`${url}/events`).then((r) => r.status)).toBe(405);
    const accepted = await fetch(`${url}/events`, { method: 'POST', body: JSON.stringify(bucketEvent()) });
    expect(accepted.status).toBe(202);
    expect(stderr.join('')).not.toContain('x'.repeat(100));
  }, 60_000);

  it('answers 503 on /slack/interactions without a signing secret, and says how to fix it at start', async () => {
    const { url, stderr } = await serve({});
    expect(stderr.join('')).toMatch(/SLACK_SIGNING_SECRET is not set/);
    const response = await slackPost(url, clickPayload());
    expect(response.status).toBe(503);
  });

  it('refuses a port in use with a clear message', async () => {
    const first = await serve();
    const port = new URL(first.url).port;
    await expect(startServe({ port, config: first.world.configFile, state: `${first.world.state}-2` }, { stdout: () => undefined, stderr: () => undefined, cwd: first.world.root, env: {} })).rejects.toThrow(`port ${port} is in use`);
  });
});
