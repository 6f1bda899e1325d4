/**
 * The request checks of the `cloudmend serve` HTTP server, over real HTTP on an ephemeral port with
 * exactly the headers a browser, curl or an attacker would send. The workflow behind it is a
 * recorder: a refused request must never reach it.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunOutput } from '../../src/local/runtime.js';
import { createLocalServer } from '../../src/local/server.js';
import { exact, raw } from '../support/http.js';

const TOKEN = 'test-token-0123456789abcdef0123456789abcdef';
const EVENT = JSON.stringify({ id: 'e-1', 'detail-type': 'Security Hub Findings - Imported', detail: {} });
const JSON_TYPE = 'application/json';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function listen(allowedHosts: readonly string[] = [], address = '127.0.0.1') {
  const ran: unknown[] = [];
  const logged: string[] = [];
  const output: RunOutput = { eventId: 'e-1', results: [], problems: [], inputBytes: 0, largestStateBytes: 0 };
  server = createLocalServer({
    runEvent: (event) => (ran.push(event), Promise.resolve(output)),
    access: { token: TOKEN, allowedHosts },
    log: (line) => void logged.push(line),
  });
  await new Promise<void>((resolve) => server!.listen(0, address, resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://${address}:${port}`, port, ran, logged };
}

type Change = Record<string, string | undefined>;

/** What curl sends with the token: the request every refusal below differs from in one header. */
function good(port: number, change: Change = {}): Record<string, string> {
  const headers: Change = { host: `127.0.0.1:${port}`, authorization: `Bearer ${TOKEN}`, 'content-type': JSON_TYPE };
  const present = (entry: [string, string | undefined]): entry is [string, string] => entry[1] !== undefined;
  return Object.fromEntries(Object.entries({ ...headers, ...change }).filter(present));
}

const errorOf = (body: string): string => (JSON.parse(body) as { error: string }).error;

describe('cloudmend serve request checks', () => {
  it.each<[string, Change, number]>([
    ['the token', {}, 202],
    ['the token in a lower-case scheme', { authorization: `bearer ${TOKEN}` }, 202],
    ['the token and a charset', { 'content-type': `${JSON_TYPE}; charset=utf-8` }, 202],
    ['no Authorization', { authorization: undefined }, 401],
    ['a wrong token', { authorization: `Bearer ${TOKEN.slice(0, -1)}x` }, 401],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, 10)}` }, 401],
    ['the token as Basic credentials', { authorization: `Basic ${TOKEN}` }, 401],
    ['text/plain and the token', { 'content-type': 'text/plain;charset=UTF-8' }, 415],
    ['a form and the token', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['multipart and the token', { 'content-type': 'multipart/form-data; boundary=x' }, 415],
    ['no Content-Type and the token', { 'content-type': undefined }, 415],
    ['an Origin of another site and the token', { origin: 'http://evil.example' }, 403],
    ['Origin null and the token', { origin: 'null' }, 403],
    ['Sec-Fetch-Site cross-site and the token', { 'sec-fetch-site': 'cross-site' }, 403],
    ['Sec-Fetch-Site same-site and the token', { 'sec-fetch-site': 'same-site' }, 403],
    ['Sec-Fetch-Site of an unknown kind and the token', { 'sec-fetch-site': 'cross-galaxy' }, 403],
    ['Sec-Fetch-Site none (typed by the user)', { 'sec-fetch-site': 'none' }, 202],
  ])('answers a POST /events with %s: %i', async (_name, change, status) => {
    const { base, port, ran } = await listen();
    const answer = await exact(base, { headers: good(port, change), body: EVENT });
    expect(answer.status).toBe(status);
    expect(ran).toHaveLength(status === 202 ? 1 : 0);
  });

  it('accepts the same-origin Origin and Sec-Fetch-Site a page of the server itself would send', async () => {
    const { base, port, ran } = await listen();
    const sameOrigin = { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' };
    expect((await exact(base, { headers: good(port, sameOrigin), body: EVENT })).status).toBe(202);
    expect(ran).toHaveLength(1);
  });

  it('answers a missing and a wrong token alike, with WWW-Authenticate and without reading the body', async () => {
    const { base, port, logged } = await listen();
    const plain = { 'content-type': 'text/plain' };
    const noToken = { ...plain, authorization: undefined };
    const missing = await exact(base, { headers: good(port, noToken), body: 'not json' });
    const wrongToken = { ...plain, authorization: 'Bearer wrong-token-0123456789abcdef0123456789' };
    const wrong = await exact(base, { headers: good(port, wrongToken), body: 'x'.repeat(300 * 1024) });
    expect([missing.status, wrong.status]).toEqual([401, 401]);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="cloudmend"');
    expect(wrong.body).toBe(missing.body);
    expect(errorOf(missing.body)).toMatch(/Authorization: Bearer <token>/);
    expect(logged.join('\n')).not.toContain('wrong-token');
    expect(logged.join('\n')).not.toContain(TOKEN);
  });

  it.each<[string, (port: number) => string, number]>([
    ['127.0.0.1 on its port', (port) => `127.0.0.1:${port}`, 202],
    ['localhost on its port', (port) => `localhost:${port}`, 202],
    ['LOCALHOST in capitals', (port) => `LOCALHOST:${port}`, 202],
    ['[::1] on its port', (port) => `[::1]:${port}`, 202],
    ['a foreign name on its port (DNS rebinding)', (port) => `evil.example:${port}`, 421],
    ['localhost on another port', (port) => `localhost:${port + 1}`, 421],
    ['localhost without a port (port 80)', () => 'localhost', 421],
    ['a name that is no host name', () => 'evil.example:1/x', 421],
    ['a subdomain of localhost', (port) => `evil.localhost:${port}`, 421],
  ])('answers a Host of %s with %i', async (_name, host, status) => {
    const { base, port, ran } = await listen();
    const answer = await exact(base, { headers: good(port, { host: host(port) }), body: EVENT });
    expect(answer.status).toBe(status);
    expect(ran).toHaveLength(status === 202 ? 1 : 0);
    if (status === 421) expect(errorOf(answer.body)).toMatch(/--allowed-host <name>.*CLOUDMEND_SERVE_ALLOWED_HOSTS/);
  });

  it('refuses a foreign Host and a cross-site page on every route, before the token is looked at', async () => {
    const { base, port } = await listen();
    const routes = [
      { method: 'GET', path: '/healthz' },
      { method: 'POST', path: '/slack/interactions' },
      { method: 'POST', path: '/events' },
      { method: 'GET', path: '/nowhere' },
    ];
    for (const route of routes) {
      expect((await exact(base, { ...route, headers: { host: `evil.example:${port}` } })).status).toBe(421);
      const page = { host: `127.0.0.1:${port}`, origin: 'https://evil.example' };
      expect((await exact(base, { ...route, headers: page })).status).toBe(403);
    }
    const health = { method: 'GET', path: '/healthz', headers: { host: `localhost:${port}` } };
    expect((await exact(base, health)).status).toBe(200);
  });

  it('answers the names given as allowed hosts: a name on any port, name:port on that port only', async () => {
    const { base, port, ran } = await listen(['tunnel.example', 'lan.example:8443']);
    for (const host of ['tunnel.example', `tunnel.example:${port}`, 'lan.example:8443']) {
      expect((await exact(base, { headers: good(port, { host }), body: EVENT })).status).toBe(202);
    }
    expect((await exact(base, { headers: good(port, { host: 'lan.example:8444' }), body: EVENT })).status).toBe(421);
    // A tunnel serves https: its page's own origin is not another site's.
    const tunnelPage = good(port, { host: 'tunnel.example', origin: 'https://tunnel.example' });
    expect((await exact(base, { headers: tunnelPage, body: EVENT })).status).toBe(202);
    expect(ran).toHaveLength(4);
  });

  it('answers to the address it is bound to when that is no wildcard, and to loopback names', async () => {
    const { base, port } = await listen([], '127.0.0.2');
    const health = (host: string) => exact(base, { method: 'GET', path: '/healthz', headers: { host } });
    expect((await health(`127.0.0.2:${port}`)).status).toBe(200);
    expect((await health(`localhost:${port}`)).status).toBe(200);
    expect((await health(`127.0.0.3:${port}`)).status).toBe(421);
  });

  it('refuses HTTP/1.0 without Host, two Host headers, and an absolute request target', async () => {
    const { base, port, ran } = await listen();
    const length = `Content-Length: ${EVENT.length}\r\n`;
    const rest = `Authorization: Bearer ${TOKEN}\r\nContent-Type: ${JSON_TYPE}\r\n${length}\r\n${EVENT}`;
    const host = `Host: 127.0.0.1:${port}\r\n`;
    const close = 'Connection: close\r\n';
    const statusOf = async (text: string) => (await raw(base, text)).split(' ')[1];
    expect(await statusOf(`POST /events HTTP/1.0\r\n${rest}`)).toBe('400');
    expect(await statusOf(`POST /events HTTP/1.1\r\n${host}Host: evil.example\r\n${close}${rest}`)).toBe('400');
    expect(await statusOf(`POST http://evil.example/events HTTP/1.1\r\n${host}${close}${rest}`)).toBe('400');
    expect(await statusOf(`POST /events HTTP/1.0\r\n${host}${rest}`)).toBe('202');
    expect(ran).toHaveLength(1);
  });

  it('logs refused requests with their reason and never a token, a body or the Authorization header', async () => {
    const { base, port, logged } = await listen();
    await exact(base, { headers: good(port, { host: 'evil.example' }), body: EVENT });
    await exact(base, { headers: good(port, { 'sec-fetch-site': 'cross-site' }), body: EVENT });
    await exact(base, { headers: good(port), body: EVENT });
    const log = logged.join('\n');
    expect(log).toMatch(/POST \/events: Host evil\.example refused/);
    expect(log).toMatch(/POST \/events: cross-site request refused \(Origin -, Sec-Fetch-Site cross-site\)/);
    expect(log).toMatch(/POST \/events 202/);
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain('Security Hub');
  });
});
