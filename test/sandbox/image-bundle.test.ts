/**
 * The sandbox image runs one esbuild bundle of `src/sandbox/main.ts`. No Docker daemon is needed to
 * know that bundle works: it is built here with the Dockerfile's own esbuild arguments, beside a
 * node_modules holding only what the Dockerfile copies there, outside any other node_modules (as
 * /opt/cloudmend is), and runs an agent task over stdio, and a CDK task from S3 as the Fargate task does.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPIED_FILES } from '../../lib/bundling.js';
import type { Model, ModelResponse } from '../../src/agent/model.js';
import type { AgentTask } from '../../src/agent/task.js';
import { ENV } from '../../src/aws/environment.js';
import { readCdkApp } from '../../src/iac/cdk/app.js';
import { ISOLATION_ENV } from '../../src/iac/validators/jail.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import type { CdkOutput, CdkTask } from '../../src/sandbox/cdk.js';
import { SANDBOX_ENV } from '../../src/sandbox/environment.js';
import { runInLocalSandbox } from '../../src/sandbox/runner.js';
import { RUNTIME_PACKAGES, runtimeModules } from '../../src/sandbox/runtime-modules.js';
import { CDK_APP, dataKeyFinding } from '../support/cdk-app.js';
import { importedEvent } from '../support/events.js';

const ROOT = join(import.meta.dirname, '../..');
const QUEUES_TF = 'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n';

/** The `--flag=value` arguments of the Dockerfile's `npx esbuild` line. */
function dockerfileEsbuildArgs(): Map<string, string[]> {
  const dockerfile = readFileSync(join(ROOT, 'sandbox/Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const line = /npx esbuild (\S+)(.*?)(?:&&|$)/m.exec(dockerfile);
  if (!line) throw new Error('sandbox/Dockerfile has no `npx esbuild` line');
  const args = new Map<string, string[]>([['entry', [line[1]!]]]);
  for (const [, name, value] of line[2]!.matchAll(/"?--([a-z-]+)(?:[=:]([^"\s]*(?:"[^"]*")?[^"\s]*))?"?/g)) {
    args.set(name!, [...(args.get(name!) ?? []), value ?? 'true']);
  }
  return args;
}

/** The files the Dockerfile copies beside the bundle (`cp <files> dist/`). */
function dockerfileCopiedFiles(): string[] {
  const dockerfile = readFileSync(join(ROOT, 'sandbox/Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  return [...dockerfile.matchAll(/\bcp ((?:src\/\S+ )+)dist\/(?:\s|$)/g)].flatMap((m) => m[1]!.trim().split(' '));
}

let dir: string;
let bundle: string;

beforeAll(async () => {
  // Outside the project: a package the Dockerfile does not copy cannot be found in an enclosing node_modules.
  dir = mkdtempSync(join(tmpdir(), 'cloudmend-sandbox-bundle-'));
  bundle = join(dir, 'sandbox.mjs');
  const args = dockerfileEsbuildArgs();
  expect(args.get('entry')).toEqual(['src/sandbox/main.ts']);
  expect(args.get('format')).toEqual(['esm']);
  await build({
    entryPoints: [join(ROOT, args.get('entry')![0]!)],
    bundle: true,
    platform: 'node',
    target: args.get('target')![0],
    format: 'esm',
    minify: true,
    external: args.get('external'),
    outfile: bundle,
    banner: { js: "import { createRequire as __cmCreateRequire } from 'node:module'; const require = __cmCreateRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  for (const file of dockerfileCopiedFiles()) copyFileSync(join(ROOT, file), join(dir, basename(file)));
  // What `runtime-modules.ts node_modules dist/node_modules` copies, as hard links (fast, and real
  // directories: a package resolves its own dependencies from here, not from the project).
  const modules = join(ROOT, 'node_modules');
  for (const pkg of runtimeModules(modules)) {
    mkdirSync(dirname(join(dir, 'node_modules', pkg)), { recursive: true });
    execFileSync('cp', ['-al', join(modules, pkg), join(dir, 'node_modules', pkg)]);
  }
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scripted(): Model {
  const replies: ModelResponse[] = [
    {
      message: {
        role: 'assistant',
        content: [
          {
            toolUse: {
              toolUseId: 't1',
              name: 'propose_edits',
              input: {
                edits: [{ path: 'queues.tf', find: '  name = "jobs"\n', replace: '  name = "jobs"\n\n  sqs_managed_sse_enabled = true\n' }],
              },
            },
          },
        ],
      },
      stopReason: 'tool_use',
      usage: { inputTokens: 120, outputTokens: 40 },
      latencyMs: 3,
    },
    {
      message: { role: 'assistant', content: [{ text: 'Encryption at rest is on.' }] },
      stopReason: 'end_turn',
      usage: { inputTokens: 200, outputTokens: 10 },
      latencyMs: 2,
    },
  ];
  return { id: 'scripted', converse: () => Promise.resolve(replies.length > 1 ? replies.shift()! : replies[0]!) };
}

const task: AgentTask = {
  fingerprint: 'bundle-check',
  finding: {
    controlId: 'SQS.1',
    title: 'SQS queues should be encrypted at rest',
    severity: 'MEDIUM',
    resourceType: 'aws_sqs_queue',
    resourceId: 'arn:aws:sqs:us-east-1:111122223333:jobs',
    tags: {},
  },
  target: { kind: 'terraform', file: 'queues.tf', address: 'aws_sqs_queue.jobs', resourceType: 'aws_sqs_queue' },
  files: [{ path: 'queues.tf', text: QUEUES_TF }],
  editable: ['queues.tf'],
  model: { modelId: 'scripted' },
  budgets: { maxIterations: 4, maxTokens: 100_000, maxSeconds: 60 },
  skills: { allowedIngressCidrs: [], allowedIngressIpv6Cidrs: [] },
  validators: { terraform: { mode: 'off' }, cfnLint: { mode: 'off' } },
};

describe('the sandbox image’s bundle', () => {
  it('carries every data file a bundle reads beside itself, and the packages it leaves external', () => {
    expect(dockerfileCopiedFiles().sort()).toEqual([...COPIED_FILES].sort());
    expect(dockerfileEsbuildArgs().get('external')?.sort()).toEqual([...RUNTIME_PACKAGES].sort());
  });

  it('runs an agent task over stdio and returns the reviewed patch', async () => {
    const result = await runInLocalSandbox(task, { model: scripted(), entry: bundle });
    expect(result).toMatchObject({ status: 'patched', usage: { calls: 2, inputTokens: 320, outputTokens: 50 } });
    if (result.status !== 'patched') return;
    expect(result.files[0]?.after).toContain('sqs_managed_sse_enabled = true');
    expect(result.validation.passed).toBe(true);
  }, 60_000);

  it('runs a CDK task from S3 as the Fargate task does: the app synthesizes with the image’s aws-cdk-lib in the container jail', async () => {
    const objects = new Map<string, string>();
    const server: Server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const key = decodeURIComponent(new URL(request.url!, 'http://s3').pathname);
        if (request.method === 'PUT') objects.set(key, Buffer.concat(chunks).toString('utf8'));
        const body = request.method === 'GET' ? objects.get(key) : undefined;
        response.writeHead(request.method === 'GET' && body === undefined ? 404 : 200, { 'content-type': 'application/json' });
        response.end(body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const files = Object.entries(CDK_APP).map(([path, text]) => ({ path, text }));
      const { app } = readCdkApp(files);
      const finding = normalizeEvent(importedEvent([dataKeyFinding()])).findings[0]!;
      const task: CdkTask = {
        mode: 'cdk',
        app: app!,
        files,
        findings: [{ fingerprint: 'key', finding, skills: ['kms-key-rotation'] }],
        skills: { allowedIngressCidrs: [], allowedIngressIpv6Cidrs: [] },
      };
      objects.set('/artifacts/artifacts/sandbox/in.json', JSON.stringify(task));
      const env = {
        PATH: process.env.PATH,
        HOME: dir,
        TMPDIR: dir,
        [ISOLATION_ENV]: 'container',
        [ENV.artifactsBucket]: 'artifacts',
        [SANDBOX_ENV.input]: 'sandbox/in.json',
        [SANDBOX_ENV.output]: 'sandbox/out.json',
        AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'example',
        AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
        AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      };
      const child = spawn(process.execPath, [bundle], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, stderr.slice(-1500)).toBe(0);
      const output = JSON.parse(objects.get('/artifacts/artifacts/sandbox/out.json') ?? 'null') as CdkOutput;
      expect(output, stderr.slice(-1500)).toMatchObject({ status: 'remediated', result: { outcomes: [{ key: 'key', outcome: 'fixed' }] } });
      if (output.status !== 'remediated') return;
      expect(Object.keys(output.result.changed)).toEqual(['lib/data-stack.ts']);
      expect(output.result.changed['lib/data-stack.ts']).toContain(
        "new kms.Key(this, 'DataKey', { description: 'acme data', enableKeyRotation: true })",
      );
      expect(output.result.checks.map((c) => `${c.name} ${c.status}`)).toContain('synthesizes passed');
    } finally {
      server.close();
    }
  }, 90_000);
});
