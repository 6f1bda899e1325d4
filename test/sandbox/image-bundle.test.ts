/**
 * The sandbox image runs one esbuild bundle of `src/sandbox/main.ts`. No Docker daemon is needed to
 * know that bundle works: it is built here with the Dockerfile's own esbuild arguments and runs an
 * agent task over stdio, as the local runtime runs the sources.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPIED_FILES } from '../../lib/bundling.js';
import type { Model, ModelResponse } from '../../src/agent/model.js';
import type { AgentTask } from '../../src/agent/task.js';
import { runInLocalSandbox } from '../../src/sandbox/runner.js';

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
  // Inside the project, so the one external (@cdktf/hcl2json) resolves as it does in the image.
  dir = mkdtempSync(join(ROOT, 'node_modules/.cache-sandbox-bundle-'));
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
  it('carries every data file a bundle reads beside itself', () => {
    expect(dockerfileCopiedFiles().sort()).toEqual([...COPIED_FILES].sort());
  });

  it('runs an agent task over stdio and returns the reviewed patch', async () => {
    const result = await runInLocalSandbox(task, { model: scripted(), entry: bundle });
    expect(result).toMatchObject({ status: 'patched', usage: { calls: 2, inputTokens: 320, outputTokens: 50 } });
    if (result.status !== 'patched') return;
    expect(result.files[0]?.after).toContain('sqs_managed_sse_enabled = true');
    expect(result.validation.passed).toBe(true);
  }, 60_000);
});
