/**
 * `cloudmend serve` against a real browser: a page of another site (evil.example, resolved to
 * 127.0.0.1 by Chromium's resolver rules) posts events to the server the way an attacker's page
 * would, by 127.0.0.1, by localhost and by its own rebound name, without and with the token. None
 * of it may reach the workflow. Skipped with the reason when Chromium is not installed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe, type Serving } from '../../src/cli/serve.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { makeWorld, type World } from '../local/fixture.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { exact } from '../support/http.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
if (!CHROMIUM) console.log('skipping cloudmend serve in a browser: no /usr/bin/chromium (apt-get install chromium)');

const TOKEN = 'browser-bearer-token-0123456789abcdef0123456789';

let world: World | undefined;
let serving: Serving | undefined;
let evil: Server | undefined;
afterEach(async () => {
  evil?.closeAllConnections();
  await new Promise((resolve) => evil?.close(resolve) ?? resolve(undefined));
  await serving?.close();
  world?.cleanup();
  [world, serving, evil] = [undefined, undefined, undefined];
});

/** The attacker's page: every request a page can make without the user's help, then a beacon home. */
function attackerPage(port: number, event: unknown): string {
  const script = `
    const body = ${JSON.stringify(JSON.stringify(event))};
    const simple = (url) => fetch(url, { method: 'POST', mode: 'no-cors', body });
    const headers = { authorization: 'Bearer ${TOKEN}', 'content-type': 'application/json' };
    const withToken = (url) => fetch(url, { method: 'POST', headers, body });
    const tries = [
      simple('http://127.0.0.1:${port}/events'),
      simple('http://localhost:${port}/events'),
      simple('http://evil.example:${port}/events'),
      withToken('http://127.0.0.1:${port}/events'),
    ];
    Promise.allSettled(tries).then((results) => fetch('/done?' + results.map((r) => r.status).join(',')));`;
  return `<!doctype html><title>cute cats</title><script>${script}</script>`;
}

async function findings(state: string): Promise<number> {
  const ledger = openSqliteLedger({ path: `${state}/ledger.db` });
  try {
    return (await ledger.list()).length;
  } finally {
    await ledger.close();
  }
}

describe.skipIf(!CHROMIUM)('cloudmend serve and a web page of another site', () => {
  it('records nothing from the page’s requests, even one carrying the token', async () => {
    world = await makeWorld('approvals: { approvers: { users: [U0APPROVER] } }\n');
    const log: string[] = [];
    const env = { CLOUDMEND_SERVE_TOKEN: TOKEN };
    const io = { stdout: () => undefined, stderr: (t: string) => void log.push(t), cwd: world.root, env };
    serving = await startServe({ port: '0', config: world.configFile, state: world.state }, io);
    const port = Number(new URL(serving.url).port);
    const event = importedEvent([asffFinding({ Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-logs' }] })]);

    let beacon: (query: string) => void = () => undefined;
    const done = new Promise<string>((resolve) => (beacon = resolve));
    evil = createServer((req, res) => {
      const html = { 'content-type': 'text/html' };
      if (req.url === '/') return void res.writeHead(200, html).end(attackerPage(port, event));
      if (req.url?.startsWith('/done?')) beacon(req.url.slice('/done?'.length));
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => evil!.listen(0, '127.0.0.1', resolve));
    const page = `http://evil.example:${(evil.address() as AddressInfo).port}/`;

    const profile = mkdtempSync(join(tmpdir(), 'cloudmend-chromium-'));
    const args = ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-proxy-server'];
    const resolver = '--host-resolver-rules=MAP evil.example 127.0.0.1';
    // Its own process group, so that its helper processes (which write the profile) end with it.
    const chromium = spawn(CHROMIUM!, [...args, `--user-data-dir=${profile}`, resolver, page], { stdio: 'ignore', detached: true });
    const exited = new Promise((resolve) => chromium.once('exit', resolve));
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the page never reported back')), 45_000);
      });
      // The simple requests get an opaque answer; the one with the token fails its preflight.
      const settled = await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
      expect(settled).toBe('fulfilled,fulfilled,fulfilled,rejected');
    } finally {
      process.kill(-(chromium.pid as number), 'SIGKILL');
      await exited;
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    }

    // Every request reached the server and was refused there, not by chance on the way.
    const lines = log.join('');
    const pageOrigin = 'POST /events: cross-site request refused (Origin http://evil.example:';
    const fromPage = lines.split('\n').filter((line) => line.includes(pageOrigin));
    expect(fromPage.map((line) => line.replace(/^.*Sec-Fetch-Site /, ''))).toEqual(['cross-site)', 'cross-site)']);
    expect(lines).toContain(`POST /events: Host evil.example:${port} refused`);
    expect(lines).toMatch(/OPTIONS \/events: cross-site request refused/);
    expect(await findings(world.state)).toBe(0);

    // The same event from curl with the token is recorded: the check above can see a run.
    const curl = { host: `127.0.0.1:${port}`, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    expect((await exact(serving.url, { headers: curl, body: JSON.stringify(event) })).status).toBe(202);
    for (let i = 0; i < 500 && (await findings(world.state)) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await findings(world.state)).toBe(1);
  }, 60_000);
});
