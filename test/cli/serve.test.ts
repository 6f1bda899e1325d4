/**
 * `cloudmend serve` over real HTTP: an event posted to /events waits for approval, a Slack click
 * signed with the signing secret decides it through /slack/interactions, and the branch appears in
 * the repository. Refusals (forged, unauthorised, no token, another site's page, a foreign Host)
 * change nothing. The request checks one by one are in test/local/server.test.ts.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { RECOVERY_INTERVAL_MS, startServe, type ServeOptions, type Serving } from '../../src/cli/serve.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { clickPayload, formBody, sign } from '../approvals/fixtures.js';
import { makeWorld, type World } from '../local/fixture.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { exact } from '../support/http.js';

const SECRET = 'serve-signing-secret-0123456789abcdef';
const TOKEN = 'serve-bearer-token-0123456789abcdef0123456789';
const APPROVERS = 'approvals: { approvers: { users: [U0APPROVER] } }\n';
const ROOT = join(import.meta.dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

let world: World | undefined;
let serving: Serving | undefined;
afterEach(async () => {
  await serving?.close();
  serving = undefined;
  world?.cleanup();
  world = undefined;
});

const ENV = { SLACK_SIGNING_SECRET: SECRET, CLOUDMEND_SERVE_TOKEN: TOKEN };

/** `startServe` in a world of its own; the world is made first, so it is there even when the start fails. */
async function serve(env: NodeJS.ProcessEnv = ENV, options: Partial<ServeOptions> = {}) {
  world = await makeWorld(APPROVERS);
  const stderr: string[] = [];
  const io = { stdout: () => undefined, stderr: (t: string) => void stderr.push(t), cwd: world.root, env };
  serving = await startServe({ port: '0', config: world.configFile, state: world.state, ...options }, io);
  return { url: serving.url, port: Number(new URL(serving.url).port), stderr, world };
}

const quiet = { stdout: () => undefined, stderr: () => undefined };
const quietIo = (cwd: string, env: NodeJS.ProcessEnv) => ({ ...quiet, cwd, env });

const bucketEvent = () => importedEvent([asffFinding({ Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-logs' }] })]);
/** What a script sends: the token and a JSON body. */
const authorized = (token = TOKEN) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const postEvent = (url: string, body: string, path = '/events', token = TOKEN) =>
  fetch(`${url}${path}`, { method: 'POST', headers: authorized(token), body });

function slackPost(url: string, payload: unknown, secret = SECRET): Promise<Response> {
  const body = formBody(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  return fetch(`${url}/slack/interactions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': sign(body, timestamp, secret),
    },
    body,
  });
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
    const answer = postEvent(url, JSON.stringify(bucketEvent()), '/events?wait=1');
    const approvalId = await pendingApproval(w.state);

    expect((await slackPost(url, clickPayload({ user: 'U0APPROVER', value: approvalId }), 'a-forged-secret-0123456789abcdef')).status).toBe(
      401,
    );
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
    expect((await postEvent(url, 'not json')).status).toBe(400);
    expect((await postEvent(url, '[1, 2]')).status).toBe(400);
    expect((await postEvent(url, JSON.stringify({ detail: 'x'.repeat(300 * 1024) }))).status).toBe(413);
    expect((await postEvent(url, JSON.stringify({ hello: 'world' }), '/events?wait=1')).status).toBe(422);
    expect(await fetch(`${url}/nowhere`).then((r) => r.status)).toBe(404);
    expect(await fetch(`${url}/events`).then((r) => r.status)).toBe(405);
    expect((await postEvent(url, JSON.stringify(bucketEvent()))).status).toBe(202);
    expect(stderr.join('')).not.toContain('x'.repeat(100));
  }, 60_000);

  it('answers 503 on /slack/interactions without a signing secret, and says how to fix it at start', async () => {
    const { url, stderr } = await serve({ CLOUDMEND_SERVE_TOKEN: TOKEN });
    expect(stderr.join('')).toMatch(/SLACK_SIGNING_SECRET is not set/);
    const response = await slackPost(url, clickPayload());
    expect(response.status).toBe(503);
  });

  it('refuses a port in use with a clear message', async () => {
    const first = await serve();
    const port = new URL(first.url).port;
    const { configFile, state, root } = first.world;
    const second = startServe({ port, config: configFile, state: `${state}-2` }, quietIo(root, ENV));
    await expect(second).rejects.toThrow(`port ${port} is in use`);
  });
});

/** The findings the ledger holds (a refused request must leave none). */
async function findingsIn(state: string): Promise<number> {
  const ledger = openSqliteLedger({ path: `${state}/ledger.db` });
  try {
    return (await ledger.list()).length;
  } finally {
    await ledger.close();
  }
}

const onPath = (tool: string, versionArg = '--version'): boolean => {
  try {
    execFileSync(tool, [versionArg], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const readmeTools = onPath('curl') && onPath('openssl', 'version');
if (!readmeTools) console.log('skipping the README curl example of cloudmend serve: curl or openssl not found');

describe('cloudmend serve access', () => {
  it('runs an event only with the token, JSON, its own Host and from no other site’s page', async () => {
    const { url, port, stderr, world: w } = await serve();
    const body = JSON.stringify(bucketEvent());
    const refusals = [
      [{ 'content-type': 'application/json' }, 401],
      [authorized('serve-bearer-token-0123456789abcdef0123456788'), 401],
      [{ ...authorized(), 'content-type': 'text/plain;charset=UTF-8' }, 415],
      [{ ...authorized(), origin: 'http://evil.example' }, 403],
      [{ ...authorized(), 'sec-fetch-site': 'cross-site' }, 403],
    ] as const;
    const post = async (headers: Record<string, string>, host = `localhost:${port}`) =>
      (await exact(url, { headers: { host, ...headers }, body })).status;
    for (const [headers, status] of refusals) expect(await post(headers)).toBe(status);
    expect(await post(authorized(), `evil.example:${port}`)).toBe(421);
    expect(await findingsIn(w.state)).toBe(0);

    expect(await post(authorized())).toBe(202);
    await pendingApproval(w.state);
    expect(await findingsIn(w.state)).toBe(1);
    const log = stderr.join('');
    expect(log).toContain('POST /events needs Authorization: Bearer $CLOUDMEND_SERVE_TOKEN');
    expect(log).not.toContain(TOKEN);
  });

  it('makes a token when none is set, prints it once, and never shows it again', async () => {
    const { url, stderr, world: w } = await serve({ SLACK_SIGNING_SECRET: SECRET });
    const token = /export CLOUDMEND_SERVE_TOKEN=(\S+)/.exec(stderr.join(''))?.[1] ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const answers = [
      await postEvent(url, JSON.stringify(bucketEvent()), '/events', token.slice(0, -1)),
      await fetch(`${url}/events`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' }),
      await postEvent(url, 'not json', '/events', token),
      await postEvent(url, JSON.stringify({ hello: 'world' }), '/events?wait=1', token),
      await postEvent(url, JSON.stringify(bucketEvent()), '/events', token),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 415, 400, 422, 202]);
    const approvalId = await pendingApproval(w.state);
    expect((await slackPost(url, clickPayload({ user: 'U0APPROVER', value: approvalId }))).status).toBe(200);

    const shown = [...(await Promise.all(answers.map((a) => a.text()))), ...stderr].join('\n');
    expect(shown.split(token)).toHaveLength(2);
    expect(stderr.filter((line) => line.includes(token))).toHaveLength(1);
    for (const db of ['ledger.db', 'ledger.db-wal']) {
      if (existsSync(join(w.state, db))) expect(readFileSync(join(w.state, db)).includes(token)).toBe(false);
    }
  });

  it('reads the token from --token-file before the environment, and refuses one too short to be a secret', async () => {
    const fileToken = 'file-bearer-token-0123456789abcdef0123456789';
    const dir = mkdtempSync(join(tmpdir(), 'cloudmend-token-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'serve.token');
    writeFileSync(file, `${fileToken}\n`, { mode: 0o600 });
    const { url, stderr, world: w } = await serve({ CLOUDMEND_SERVE_TOKEN: TOKEN }, { tokenFile: file });
    expect((await postEvent(url, '{}', '/events', TOKEN)).status).toBe(401);
    expect((await postEvent(url, '{}', '/events?wait=1', fileToken)).status).toBe(422);
    expect(stderr.join('')).toContain(`export CLOUDMEND_SERVE_TOKEN="$(cat '${file}')"`);
    expect(stderr.join('')).not.toContain(fileToken);

    const weakEnv = { CLOUDMEND_SERVE_TOKEN: 'hunter2' };
    const weak = startServe({ port: '0', config: w.configFile, state: `${w.state}-2` }, quietIo(w.root, weakEnv));
    await expect(weak).rejects.toThrow(/^CLOUDMEND_SERVE_TOKEN must be at least 32 characters[^]*openssl rand -hex 32/);
    await expect(weak).rejects.not.toThrow(/hunter2/);
  });

  it.each([
    ['--allowed-host, before the environment', { allowedHost: ['tunnel.example'] }, 'tunnel.example', 'lan.example'],
    ['CLOUDMEND_SERVE_ALLOWED_HOSTS', {}, 'lan.example', 'tunnel.example'],
  ])('answers the names allowed with %s', async (_name, options, allowed, refused) => {
    const { url } = await serve({ ...ENV, CLOUDMEND_SERVE_ALLOWED_HOSTS: 'lan.example, other.example:1' }, options);
    const health = async (host: string) => {
      return (await exact(url, { method: 'GET', path: '/healthz', headers: { host } })).status;
    };
    expect(await health(allowed)).toBe(200);
    expect(await health(refused)).toBe(421);
  });

  it('refuses an allowed host that is no host name, naming where it came from', async () => {
    const fromEnv = serve({ CLOUDMEND_SERVE_ALLOWED_HOSTS: 'ok.example,*.example' });
    await expect(fromEnv).rejects.toThrow('CLOUDMEND_SERVE_ALLOWED_HOSTS: "*.example" is not a host name');
    const fromOption = startServe({ port: '0', allowedHost: ['http://x.example'] }, quietIo(world!.root, ENV));
    await expect(fromOption).rejects.toThrow('--allowed-host: "http://x.example" is not a host name');
  });

  it('takes Slack clicks by their signature, without a token, and refuses a foreign Host or page', async () => {
    const { url, port, world: w } = await serve();
    void postEvent(url, JSON.stringify(bucketEvent()), '/events?wait=1').catch(() => undefined);
    const approvalId = await pendingApproval(w.state);
    const body = formBody(clickPayload({ user: 'U0APPROVER', value: approvalId }));
    const click = (headers: Record<string, string>) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': sign(body, timestamp, SECRET) };
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      return exact(url, { path: '/slack/interactions', headers: { ...form, ...signature, ...headers }, body });
    };
    expect((await click({ host: `evil.example:${port}` })).status).toBe(421);
    const page = { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' };
    expect((await click({ host: `127.0.0.1:${port}`, ...page })).status).toBe(403);
    const ledger = openSqliteLedger({ path: `${w.state}/ledger.db` });
    onTestFinished(() => ledger.close());
    expect((await ledger.getApproval(approvalId))?.status).toBe('pending');
    expect((await click({ host: 'tunnel.example' })).status).toBe(421);
    expect((await click({ host: `127.0.0.1:${port}` })).status).toBe(200);
    expect((await ledger.getApproval(approvalId))?.status).toBe('approved');
  });

  it.skipIf(!readmeTools)('runs the README’s example: the token it exports, the curl line serve prints', async () => {
    const blocks = /readme-serve:[^\n]*\n```sh\n([^]*?)```[^]*?```sh\n([^]*?)```\n+```\n([^\n]+)\n```/.exec(README);
    const [, start = '', curl = '', answer] = blocks ?? [];
    expect(start).toMatch(/npx cloudmend serve --repo/);
    const exportLine = start.split('\n').find((line) => line.startsWith('export CLOUDMEND_SERVE_TOKEN=')) ?? '';
    const token = execFileSync('sh', ['-c', `${exportLine}\nprintf %s "$CLOUDMEND_SERVE_TOKEN"`], { encoding: 'utf8' });
    const { url, stderr } = await serve({ SLACK_SIGNING_SECRET: SECRET, CLOUDMEND_SERVE_TOKEN: token });

    const printed = /^ {2}(curl .*)$/m.exec(stderr.join(''))?.[1];
    const shown = curl.replace(/\\\n\s*/g, '').trim();
    expect(shown.replace(/@\S+/, '@event.json')).toBe(printed?.replace(url, 'http://127.0.0.1:8787'));
    // Not execFileSync: the server answering curl runs in this very process.
    const env = { PATH: process.env.PATH, CLOUDMEND_SERVE_TOKEN: token };
    const command = curl.replace('http://127.0.0.1:8787', url);
    const out = await promisify(execFile)('sh', ['-c', command], { cwd: ROOT, encoding: 'utf8', env });
    expect(out.stdout.trim()).toBe(answer);
  });

  it('recovers in-flight findings at start, and those that get stuck while it is up', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    onTestFinished(() => void vi.useRealTimers());
    world = await makeWorld(APPROVERS);
    mkdirSync(world.state, { recursive: true });
    const path = join(world.state, 'ledger.db');
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000);
    const before = openSqliteLedger({ path });
    // An earlier serve in this same pid (a container's entry point is pid 1 each time), and a run elsewhere, stuck for 7h.
    await before.claim({
      fingerprint: 'earlier-serve',
      summary: { source: 'securityhub' },
      actor: `local:${hostname()}:${process.pid}:earlier`,
      at: new Date(),
    });
    await before.claim({ fingerprint: 'other-host', summary: { source: 'securityhub' }, actor: 'local:elsewhere:7:run', at: hoursAgo(7) });
    await before.claim({ fingerprint: 'fresh', summary: { source: 'securityhub' }, actor: 'local:elsewhere:7:run', at: new Date() });
    await before.close();
    const stderr: string[] = [];
    serving = await startServe(
      { port: '0', config: world.configFile, state: world.state },
      { stdout: () => undefined, stderr: (t) => void stderr.push(t), cwd: world.root, env: ENV },
    );
    expect(stderr.join('')).toMatch(/recovered 2 findings an interrupted or stuck run left in flight/);

    const ledger = openSqliteLedger({ path });
    onTestFinished(() => ledger.close());
    expect((await ledger.get('earlier-serve'))?.reason).toMatch(/^interrupted: the run in process \d+ ended while the finding was claimed/);
    expect((await ledger.get('other-host'))?.reason).toMatch(/^interrupted: nothing moved it from claimed since/);
    expect((await ledger.get('fresh'))?.state).toBe('claimed');
    // Stuck while serve is up: found on the next periodic look.
    await ledger.claim({ fingerprint: 'hung', summary: { source: 'securityhub' }, actor: 'local:elsewhere:7:run', at: hoursAgo(7) });
    vi.advanceTimersByTime(RECOVERY_INTERVAL_MS);
    await vi.waitFor(async () => expect((await ledger.get('hung'))?.state).toBe('failed'));
    expect((await ledger.get('fresh'))?.state).toBe('claimed');
  });
});
