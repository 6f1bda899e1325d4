/**
 * The packages lib/bundling.ts replaces in the Lambda bundles: each replacement still covers what
 * the code around it asks of it, and code bundled with them still works where it matters (AWS
 * requests signed with the environment's credentials, Slack messages sent).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALIASES, BUNDLE } from '../../lib/bundling.js';
import { PROJECT_ROOT } from '../../lib/project.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'cloudmend-bundling-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `source` bundled as the stack bundles a Lambda entry, aliases included; returns the file. */
async function bundle(name: string, source: string): Promise<string> {
  const outfile = join(dir, `${name}.mjs`);
  await esbuild.build({
    stdin: { contents: source, resolveDir: PROJECT_ROOT, loader: 'ts' },
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: BUNDLE.format,
    target: BUNDLE.target,
    mainFields: [...BUNDLE.mainFields],
    banner: { js: BUNDLE.banner },
    alias: { ...ALIASES },
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

/** A local HTTP server that records each request's headers and body and answers `answer`. */
async function recorder(answer: (url: string) => { type: string; body: string }) {
  const seen: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      const reply = answer(req.url ?? '');
      res.setHeader('content-type', reply.type);
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const DYNAMODB_CALL = `
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({ endpoint: process.env.ENDPOINT, region: 'us-east-1', maxAttempts: 1 });
try {
  const out = await client.send(new ListTablesCommand({}));
  console.log(JSON.stringify({ tables: out.TableNames }));
} catch (error) {
  console.log(JSON.stringify({ error: error.name, message: error.message }));
}
`;

describe('the bundle aliases', () => {
  it('name packages that are installed, and files that exist', () => {
    const require = createRequire(join(PROJECT_ROOT, 'package.json'));
    for (const [name, path] of Object.entries(ALIASES)) {
      expect(() => require.resolve(`${name}/package.json`), name).not.toThrow();
      expect(() => readFileSync(join(PROJECT_ROOT, path)), path).not.toThrow();
    }
  });

  it("stand in for every credential source the SDK's default chain imports, with the names it imports", async () => {
    const chain = readFileSync(
      createRequire(join(PROJECT_ROOT, 'package.json'))
        .resolve('@aws-sdk/credential-provider-node')
        .replace(/dist-cjs\/index\.js$/, 'dist-es/defaultProvider.js'),
      'utf8',
    );
    const imports = [...chain.matchAll(/const \{ (\w+) \} = await import\("([^"]+)"\)/g)].map(([, name, pkg]) => ({
      name: name ?? '',
      pkg: pkg ?? '',
    }));
    expect(imports.map((i) => i.pkg).sort()).toEqual(
      Object.keys(ALIASES)
        .filter((k) => k.startsWith('@aws-sdk/credential-provider-'))
        .sort(),
    );
    for (const { name, pkg } of imports) {
      const stand = (await import(join(PROJECT_ROOT, ALIASES[pkg] ?? ''))) as Record<string, unknown>;
      expect(typeof stand[name], `${pkg} ${name}`).toBe('function');
    }
  });

  describe('in a bundle, an AWS client', () => {
    let server: Awaited<ReturnType<typeof recorder>>;
    let file: string;
    beforeAll(async () => {
      server = await recorder(() => ({ type: 'application/x-amz-json-1.0', body: JSON.stringify({ TableNames: ['ledger'] }) }));
      file = await bundle('dynamodb', DYNAMODB_CALL);
    }, 60_000);
    afterAll(() => server.close());

    // No AWS variables but these, a home without ~/.aws, and no instance metadata to wait for.
    const envWith = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH,
      HOME: dir,
      ENDPOINT: server.url,
      AWS_EC2_METADATA_DISABLED: 'true',
      ...extra,
    });

    it("signs its requests with the execution role's credentials from the environment, as in Lambda", async () => {
      const { stdout } = await run(process.execPath, [file], {
        env: envWith({ AWS_ACCESS_KEY_ID: 'AKIDLAMBDAROLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' }),
      });
      expect(JSON.parse(stdout)).toEqual({ tables: ['ledger'] });
      expect(server.seen.at(-1)?.headers.authorization).toMatch(/Credential=AKIDLAMBDAROLE\//);
      expect(server.seen.at(-1)?.headers['x-amz-security-token']).toBe('token');
    });

    it('without them, passes every stand-in and ends with the SDK\'s own "could not load credentials"', async () => {
      const { stdout } = await run(process.execPath, [file], { env: envWith({}) });
      expect(JSON.parse(stdout)).toMatchObject({
        error: 'CredentialsProviderError',
        message: 'Could not load credentials from any providers',
      });
    });
  });

  it('leave the Slack client sending chat messages, without a MIME database', async () => {
    const server = await recorder(() => ({ type: 'application/json', body: JSON.stringify({ ok: true, channel: 'C1', ts: '1.2' }) }));
    try {
      const file = await bundle(
        'slack',
        `import { WebClient } from '@slack/web-api';
const client = new WebClient('xoxb-test', { slackApiUrl: process.env.ENDPOINT + '/api/', rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
const posted = await client.chat.postMessage({ channel: 'C1', text: 'approve?', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*S3.8*' } }] });
const updated = await client.chat.update({ channel: 'C1', ts: '1.2', text: 'approved' });
console.log(JSON.stringify([posted.ok, updated.ok]));`,
      );
      const { stdout } = await run(process.execPath, [file], { env: { PATH: process.env.PATH, ENDPOINT: server.url } });
      expect(JSON.parse(stdout)).toEqual([true, true]);
      expect(server.seen.map((r) => [r.url, r.headers['content-type']])).toEqual([
        ['/api/chat.postMessage', 'application/x-www-form-urlencoded'],
        ['/api/chat.update', 'application/x-www-form-urlencoded'],
      ]);
      expect(readFileSync(file, 'utf8')).not.toContain('application/vnd.ms-excel');
    } finally {
      await server.close();
    }
  }, 60_000);
});
