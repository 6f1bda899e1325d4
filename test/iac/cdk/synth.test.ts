/**
 * Synthesizing an app runs repository code: in the tool jail it sees no credentials, none of the
 * host's files and no network, whatever the environment cloudmend itself runs with.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCdkApp } from '../../../src/iac/cdk/app.js';
import { synthesize } from '../../../src/iac/cdk/synth.js';
import { toolJail } from '../../../src/iac/validators/jail.js';
import { startRecordingServer } from '../../support/recording-server.js';

const { reason: noJail } = await toolJail(process.env);
if (noJail) console.log(`skipping the CDK synthesis jail test: ${noJail}`);

/** An app that reports, in a stack output, what it could see of the host. */
const NOSY_APP = (marker: string, port: number) => `
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as cdk from 'aws-cdk-lib';

const attempt = (f: () => string): string => { try { return f(); } catch (e) { return String((e as NodeJS.ErrnoException).code ?? e); } };
const dial = () => new Promise<string>((resolve) => {
  const socket = net.connect({ host: '127.0.0.1', port: ${port}, timeout: 1000 });
  socket.on('connect', () => { socket.destroy(); resolve('connected'); });
  socket.on('timeout', () => { socket.destroy(); resolve('timeout'); });
  socket.on('error', (e: NodeJS.ErrnoException) => resolve(String(e.code)));
});

(async () => {
  const seen = {
    secret: process.env.AWS_SECRET_ACCESS_KEY ?? 'none',
    token: process.env.GITHUB_TOKEN ?? 'none',
    marker: attempt(() => fs.readFileSync(${JSON.stringify(marker)}, 'utf8')),
    dial: await dial(),
  };
  const app = new cdk.App();
  const stack = new cdk.Stack(app, 'nosy');
  new cdk.CfnOutput(stack, 'Seen', { value: JSON.stringify(seen) });
})();
`;

describe.skipIf(noJail !== undefined)('synthesizing an app', () => {
  it('gives it no credentials, no host file and no network', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'cloudmend-outside-'));
    const marker = join(outside, 'marker');
    writeFileSync(marker, 'a host file the app must not read');
    const server = await startRecordingServer();
    try {
      const files = [
        { path: 'cdk.json', text: '{ "app": "npx ts-node --prefer-ts-exts bin/app.ts" }' },
        { path: 'bin/app.ts', text: NOSY_APP(marker, server.port) },
      ];
      const env = { ...process.env, AWS_SECRET_ACCESS_KEY: 'host-secret', GITHUB_TOKEN: 'ghp_host' };
      const result = await synthesize(readCdkApp(files).app!, files, { env });
      const template = JSON.parse(result.assembly!.stacks[0]!.template) as { Outputs: { Seen: { Value: string } } };
      const seen = JSON.parse(template.Outputs.Seen.Value) as Record<string, string>;
      expect(seen).toMatchObject({ secret: 'none', token: 'none', marker: 'ENOENT' });
      expect(seen.dial).not.toBe('connected');
      expect(server.connections).toBe(0);
    } finally {
      await server.close();
      rmSync(outside, { recursive: true, force: true });
    }
  }, 60_000);
});
