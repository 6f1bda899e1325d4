/**
 * The validator jail, from the inside: one Node.js process per jail kind (node is under /usr, which
 * the jail shows) tries what a hostile tool would, and reports. A server on the host records every
 * connection it gets.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISOLATION_ENV, toolJail, type JailProbe } from '../../src/iac/validators/jail.js';
import { startRecordingServer, type RecordingServer } from '../support/recording-server.js';

/** Runs inside the jail with the host's facts as argv[1]; prints what it could and could not do. */
const INSIDE = `
const fs = require('node:fs'), net = require('node:net');
const host = JSON.parse(process.argv[1]);
const attempt = (f) => { try { return f(); } catch (e) { return e.code ?? String(e); } };
const dial = (address) => new Promise((resolve) => {
  const socket = net.connect({ host: address, port: host.port, timeout: 2000 });
  socket.on('connect', () => { socket.destroy(); resolve('connected'); });
  socket.on('timeout', () => { socket.destroy(); resolve('timeout'); });
  socket.on('error', (e) => resolve(e.code));
});
(async () => {
  const out = {
    dial: Object.fromEntries(await Promise.all(host.addresses.map(async (a) => [a, await dial(a)]))),
    read: Object.fromEntries(host.paths.map((p) => [p, attempt(() => (fs.readFileSync(p), 'read'))])),
    env: Object.keys(process.env).sort(),
    writeCopy: attempt(() => (fs.writeFileSync('written', 'from inside'), 'written')),
    writeTools: attempt(() => (fs.writeFileSync('/usr/cloudmend-was-here', 'x'), 'written')),
    processes: fs.readdirSync('/proc').filter((e) => /^[0-9]+$/.test(e)).length,
  };
  console.log(JSON.stringify(out));
})();
`;

const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAJAILTEST',
  AWS_SECRET_ACCESS_KEY: 'jail-secret',
  GITHUB_TOKEN: 'ghp_jailtest',
  SLACK_BOT_TOKEN: 'xoxb-jailtest',
};

/** The host's IPv4 addresses: loopback and every interface's. */
const hostAddresses = (): string[] => [
  '127.0.0.1',
  ...Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((i) => i.family === 'IPv4' && !i.internal)
    .map((i) => i.address),
];

interface Inside {
  dial: Record<string, string>;
  read: Record<string, string>;
  env: string[];
  writeCopy: string;
  writeTools: string;
  processes: number;
}

for (const kind of ['unshare', 'bwrap'] as const) {
  const probe: JailProbe = await toolJail({ ...process.env, [ISOLATION_ENV]: kind });
  if (probe.reason) console.log(`skipping the ${kind} jail tests: ${probe.reason}`);

  describe.skipIf(probe.jail === undefined)(`the validator jail (${kind})`, () => {
    let server: RecordingServer;
    let outside: string;
    let copy: string;
    let marker: string;
    let inside: Inside;

    beforeAll(async () => {
      server = await startRecordingServer();
      outside = mkdtempSync(join(tmpdir(), 'cloudmend-outside-'));
      copy = mkdtempSync(join(tmpdir(), 'cloudmend-copy-'));
      marker = join(outside, 'marker');
      writeFileSync(marker, 'a file the tool must not read');
      const addresses = hostAddresses();
      const paths = [marker, '/etc/hostname', '/etc/passwd', join(process.cwd(), 'package.json'), '/root/.bashrc'];
      const saved = { ...process.env };
      Object.assign(process.env, CREDENTIALS);
      try {
        const facts = JSON.stringify({ port: server.port, addresses, paths });
        const run = await probe.jail!.run([process.execPath, '-e', INSIDE, facts], { copy, tools: [], timeoutMs: 30_000 });
        expect(run.code, run.stderr).toBe(0);
        inside = JSON.parse(run.stdout) as Inside;
      } finally {
        process.env = saved;
      }
    }, 60_000);

    afterAll(async () => {
      await server.close();
      rmSync(outside, { recursive: true, force: true });
      rmSync(copy, { recursive: true, force: true });
    });

    it("cannot open a TCP connection, not even to a server on the host's 127.0.0.1", () => {
      expect(Object.keys(inside.dial).length).toBeGreaterThan(0);
      for (const [address, result] of Object.entries(inside.dial)) expect(result, address).not.toBe('connected');
      expect(server.connections).toBe(0);
    });

    it("cannot read a file outside its copy: a marker in a temp dir, the host's /etc, home or repository", () => {
      for (const [path, result] of Object.entries(inside.read)) expect(result, path).toBe('ENOENT');
    });

    it("sees none of the parent's variables, credentials least of all", () => {
      expect(inside.env.filter((name) => /^(AWS_|GITHUB_|SLACK_)/.test(name))).toEqual([]);
      expect(inside.env).toEqual(expect.arrayContaining(['HOME', 'PATH', 'TF_CLI_CONFIG_FILE', 'CHECKPOINT_DISABLE']));
      expect(inside.env).not.toContain('TF_PLUGIN_CACHE_DIR');
    });

    it('can write in its copy, and not in the tools', () => {
      expect(inside.writeCopy).toBe('written');
      expect(readFileSync(join(copy, 'written'), 'utf8')).toBe('from inside');
      expect(inside.writeTools).toMatch(/EROFS|EACCES|EPERM/);
    });

    it('sees only its own processes', () => {
      expect(inside.processes).toBeLessThan(5);
    });
  });
}

describe('the jail setting', () => {
  it('refuses a jail it does not know, saying which it knows', async () => {
    const { reason } = await toolJail({ [ISOLATION_ENV]: 'none' });
    expect(reason).toMatch(/=none is not a jail .*unshare, bwrap or container.*skipped/);
  });

  it('in a container that is the sandbox, runs the tool in its copy with the scrubbed variables', async () => {
    const { jail } = await toolJail({ [ISOLATION_ENV]: 'container' });
    const copy = mkdtempSync(join(tmpdir(), 'cloudmend-copy-'));
    const saved = { ...process.env };
    Object.assign(process.env, CREDENTIALS);
    try {
      const run = await jail!.run(['/bin/sh', '-c', 'pwd; env'], { copy, tools: [], timeoutMs: 10_000 });
      const [cwd, ...env] = run.stdout.trim().split('\n');
      expect(cwd).toBe(copy);
      expect(env.filter((line) => /^(AWS_|GITHUB_|SLACK_)/.test(line))).toEqual([]);
      expect(env).toEqual(expect.arrayContaining(['TF_IN_AUTOMATION=1', 'TF_INPUT=0']));
    } finally {
      process.env = saved;
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
