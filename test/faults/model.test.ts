/**
 * The model agent's faults, through the real remediate workflow and the local sandbox process:
 * Bedrock throttling beyond the adapter's retries, a model that never answers, and a sandbox that
 * never returns. Each ends the finding failed, with the reason, and claimable again: a fault of
 * the infrastructure is no verdict on the finding, and AWS ends these the same way (the Fargate
 * task's own time budget, or the Sandbox state's timeout, fail the iteration).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bedrockModel } from '../../src/agent/bedrock.js';
import type { AgentTask } from '../../src/agent/task.js';
import { isReclaimable, type FindingState } from '../../src/ledger/states.js';
import { runInLocalSandbox } from '../../src/sandbox/runner.js';
import { outputOf } from '../../src/sandbox/output.js';
import type { TaskContext } from '../../src/workflow/context.js';
import type { SandboxPort } from '../../src/sandbox/port.js';
import {
  FAKE_CREDENTIALS,
  errorReply,
  startConverseServer,
  textReply,
  toolUseReply,
  type ConverseServer,
} from '../agent/converse-server.js';
import { makeWorld, type World } from '../local/fixture.js';
import { asffFinding, importedEvent, MODEL_ONLY_CONTROL } from '../support/events.js';
import { attempts, expectSettled, runOnce, statesOf, type FaultRun } from './support.js';
import { bedrockModelConfig } from '../support/model-config.js';

const MODEL = 'anthropic.claude-test-v1:0';
const CONFIG = bedrockModelConfig(MODEL);
const QUEUES_TF = 'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n';
const GOOD = {
  edits: [{ path: 'queues.tf', find: '  name = "jobs"\n', replace: '  name = "jobs"\n\n  sqs_managed_sse_enabled = true\n' }],
};
// No skill claims MODEL_ONLY_CONTROL: the model writes the patch.
const EVENT = importedEvent([
  asffFinding({
    control: MODEL_ONLY_CONTROL,
    Title: 'SQS queues should be encrypted at rest',
    Resources: [
      { Type: 'AwsSqsQueue', Id: 'arn:aws:sqs:us-east-1:111122223333:jobs', Tags: { 'cloudmend:source': 'queues.tf#aws_sqs_queue.jobs' } },
    ],
  }),
]);

let server: ConverseServer;
let world: World | undefined;
beforeAll(async () => {
  server = await startConverseServer();
});
afterAll(async () => server.close());
afterEach(() => {
  world?.cleanup();
  world = undefined;
});

/** The real Bedrock adapter against the Converse server, retrying twice at most, quickly. */
const bedrock = () =>
  bedrockModel({
    modelId: MODEL,
    region: 'us-east-1',
    client: new BedrockRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials: FAKE_CREDENTIALS, maxAttempts: 1 }),
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
  });

/** The agent's time budget, below what the config allows (10 s), so a test waits a second. */
const oneSecond = (ctx: TaskContext): TaskContext => ({
  ...ctx,
  config: { ...ctx.config, model: { ...ctx.config.model, budgets: { ...ctx.config.model.budgets, maxSeconds: 1 } } },
});

const run = (w: World, wrap?: (ctx: TaskContext) => TaskContext): Promise<FaultRun> =>
  runOnce(w, EVENT, { setup: { model: bedrock(), warn: () => undefined }, wrap });

/** The finding failed with `reason`, claimable again; then a run with a working model opens its pull request once. */
async function expectFailedThenFixed(w: World, broken: FaultRun, reason: RegExp): Promise<void> {
  const [result] = broken.out.results;
  const fp = result?.fingerprint ?? '';
  expect(result).toMatchObject({ status: 'failed', branch: null });
  expect(result?.reason).toMatch(reason);
  const [state] = await statesOf(w, [fp]);
  expect(isReclaimable(state as FindingState)).toBe(true);
  await expectSettled(w, [fp]);

  server.script(toolUseReply('t1', 'propose_edits', GOOD), textReply('Enabled SQS-managed encryption.'));
  const fixed = await run(w);
  expect(fixed.out.results).toEqual([expect.objectContaining({ fingerprint: fp, status: 'pr_opened' })]);
  await expectSettled(w, [fp]);
}

describe('the model agent when the model or its sandbox fails', () => {
  it('fails the finding when Bedrock throttles beyond the retries, and the next run fixes it', async () => {
    world = await makeWorld(CONFIG, { 'queues.tf': QUEUES_TF });
    const before = server.requests.length;
    server.script(errorReply('ThrottlingException'), errorReply('ThrottlingException'));
    const broken = await run(world);
    expect(server.requests.length - before).toBe(2);
    expect(attempts(broken, 'Sandbox')).toBe(1);
    await expectFailedThenFixed(
      world,
      broken,
      /^cloudmend\.SandboxFailed: the sandbox failed \(cloudmend\.Transient\): Bedrock Converse on .* failed 2 times in a row, last with ThrottlingException/,
    );
  });

  it('fails the finding when the model never answers within the time budget, and the next run fixes it', async () => {
    world = await makeWorld(CONFIG, { 'queues.tf': QUEUES_TF });
    server.script({ hang: true });
    const started = Date.now();
    const broken = await run(world, oneSecond);
    expect(Date.now() - started).toBeLessThan(15_000);
    await expectFailedThenFixed(world, broken, /^cloudmend\.SandboxFailed: the sandbox failed \(TimeoutError\): .*timeout/i);
  }, 60_000);

  it('fails the finding when the sandbox process never returns, and the next run fixes it', async () => {
    world = await makeWorld(CONFIG, { 'queues.tf': QUEUES_TF });
    const hung = join(world.root, 'hung-sandbox.mjs');
    writeFileSync(hung, 'process.stdin.resume();\n');
    const graceMs = 200;
    const stuck = (ctx: TaskContext): TaskContext => {
      const sandbox: SandboxPort = {
        network: () => ctx.sandbox.network(),
        // The local sandbox port with a program that reads its task and never answers.
        async run({ input, output }) {
          const task = await ctx.artifacts.get<AgentTask>(input);
          await ctx.artifacts.put(
            output,
            await outputOf(() => runInLocalSandbox(task, { model: bedrock(), env: {}, entry: hung, graceMs })),
          );
        },
      };
      return oneSecond({ ...ctx, sandbox });
    };
    const broken = await run(world, stuck);
    await expectFailedThenFixed(
      world,
      broken,
      /^cloudmend\.SandboxFailed: the sandbox failed \(TimeoutError\): the sandbox ran past its 1 s budget and was stopped/,
    );
  });
});
