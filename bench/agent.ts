/**
 * Model tokens per agent remediation: SQS.1 (no skill, so the agent writes the patch) through the
 * local runtime, the agent in its sandbox, the real Bedrock client talking to the scripted
 * Converse server of the tests. The prompts are the ones cloudmend sends; the replies are scripted,
 * and each reply reports as usage an estimate of its request's and its own size (4 characters per
 * token), so the `model.usage` the ledger records reflects the prompt cloudmend builds.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { bedrockModel } from '../src/agent/bedrock.js';
import { createRuntime } from '../src/local/runtime.js';
import {
  converseReply,
  FAKE_CREDENTIALS,
  startConverseServer,
  type ConverseWireResponse,
  type RecordedRequest,
  type ScriptEntry,
} from '../test/agent/converse-server.js';
import { makeWorld } from '../test/local/fixture.js';
import { asffFinding, importedEvent } from '../test/support/events.js';
import { median, type Benchmark, type Row } from './report.js';
import { bedrockModelConfig } from '../test/support/model-config.js';

const MODEL = 'anthropic.claude-bench-v1:0';
const CONFIG = bedrockModelConfig(MODEL, { maxIterations: 6, maxTokens: 200_000, maxSeconds: 120 });

/** A queue module as teams write them: the queue with its dead-letter queue and a consumer role. */
const QUEUES_TF = `resource "aws_sqs_queue" "jobs" {
  name                       = "jobs"
  visibility_timeout_seconds = 120
  message_retention_seconds  = 1209600

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.jobs_dlq.arn
    maxReceiveCount     = 5
  })

  tags = {
    team = "platform"
  }
}

resource "aws_sqs_queue" "jobs_dlq" {
  name                    = "jobs-dlq"
  sqs_managed_sse_enabled = true
}

resource "aws_iam_role" "worker" {
  name               = "worker"
  assume_role_policy = "{}"
}
`;

const CHARS_PER_TOKEN = 4;
const tokens = (text: string): number => Math.ceil(text.length / CHARS_PER_TOKEN);

/** What the model is sent: system prompt, conversation and tool definitions, as JSON text. */
const promptText = (r: RecordedRequest): string =>
  JSON.stringify(r.body.system ?? []) + JSON.stringify(r.body.messages ?? []) + JSON.stringify(r.body.toolConfig ?? {});

/** A scripted reply whose usage is the estimated size of the request and of the reply itself. */
function sized(content: Record<string, unknown>[], stopReason: string): ScriptEntry {
  return (request) => {
    const reply: ConverseWireResponse = converseReply(content, {
      stopReason,
      inputTokens: tokens(promptText(request)),
      outputTokens: tokens(JSON.stringify(content)),
    });
    return reply;
  };
}
const toolUse = (id: string, name: string, input: unknown) => sized([{ toolUse: { toolUseId: id, name, input } }], 'tool_use');
const text = (t: string) => sized([{ text: t }], 'end_turn');
const edit = (find: string, replace: string) => ({ edits: [{ path: 'queues.tf', find, replace }] });

const ENCRYPT = edit('  visibility_timeout_seconds = 120\n', '  visibility_timeout_seconds = 120\n  sqs_managed_sse_enabled    = true\n');

const SCENARIOS: readonly { readonly name: string; readonly script: readonly ScriptEntry[] }[] = [
  {
    name: 'edit, then summary',
    script: [toolUse('t1', 'propose_edits', ENCRYPT), text('Enabled SQS-managed server-side encryption on aws_sqs_queue.jobs.')],
  },
  {
    name: 'read file, edit, summary',
    script: [
      toolUse('t1', 'read_file', { path: 'queues.tf' }),
      toolUse('t2', 'propose_edits', ENCRYPT),
      text('Enabled SQS-managed encryption on aws_sqs_queue.jobs.'),
    ],
  },
  {
    name: 'broken edit, validation feedback, fix, summary',
    script: [
      toolUse(
        't1',
        'propose_edits',
        edit('  visibility_timeout_seconds = 120\n', '  visibility_timeout_seconds = 120\n  sqs_managed_sse_enabled = \n'),
      ),
      toolUse('t2', 'propose_edits', edit('  sqs_managed_sse_enabled = \n', '  sqs_managed_sse_enabled    = true\n')),
      text('Fixed the attribute value; the queue is now encrypted with SQS-managed keys.'),
    ],
  },
];

const finding = () =>
  asffFinding({
    control: 'SQS.1',
    Title: 'SQS queues should be encrypted at rest',
    Resources: [
      {
        Type: 'AwsSqsQueue',
        Id: 'arn:aws:sqs:us-east-1:111122223333:jobs',
        Partition: 'aws',
        Region: 'us-east-1',
        Tags: { team: 'platform', 'cloudmend:source': 'queues.tf#aws_sqs_queue.jobs' },
      },
    ],
  });

export const agentBench: Benchmark = {
  name: 'agent',
  title: 'Model tokens per agent remediation (scripted Converse server)',
  async run() {
    const server = await startConverseServer();
    const rows: Row[] = [];
    const warnings = new Set<string>();
    try {
      for (const scenario of SCENARIOS) {
        const world = await makeWorld(CONFIG, { 'queues.tf': QUEUES_TF });
        const first = server.requests.length;
        server.script(...scenario.script);
        const client = new BedrockRuntimeClient({
          endpoint: server.url,
          region: 'us-east-1',
          credentials: FAKE_CREDENTIALS,
          maxAttempts: 1,
        });
        const model = bedrockModel({ modelId: MODEL, region: 'us-east-1', client, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
        const local = await world.open({ model, warn: (m) => warnings.add(m.split('\n')[0] ?? m) });
        try {
          const out = await createRuntime({ context: local.ctx, approve: 'auto' }).run(importedEvent([finding()]));
          const result = out.results[0];
          const usage = (await local.ctx.ledger.auditTrail(result?.fingerprint ?? '')).find((e) => e.type === 'model.usage')?.data as
            | { calls?: number; inputTokens?: number; outputTokens?: number }
            | undefined;
          const sent = server.requests.slice(first);
          const prompts = sent.map(promptText);
          rows.push({
            remediation: scenario.name,
            outcome: result?.status ?? out.error?.Error ?? 'none',
            'model calls': usage?.calls ?? null,
            'input tokens': usage?.inputTokens ?? null,
            'output tokens': usage?.outputTokens ?? null,
            'first prompt KB': Math.round((prompts[0]?.length ?? 0) / 102.4) / 10,
            'system + tools KB':
              Math.round(
                (JSON.stringify(sent[0]?.body.system ?? []).length + JSON.stringify(sent[0]?.body.toolConfig ?? {}).length) / 102.4,
              ) / 10,
            'last prompt KB': Math.round((prompts.at(-1)?.length ?? 0) / 102.4) / 10,
          });
        } finally {
          await local.close();
          world.cleanup();
        }
      }
    } finally {
      await server.close();
    }
    const inputs = rows.map((r) => Number(r['input tokens']));
    return {
      rows,
      summary: {
        remediations: rows.length,
        medianCalls: median(rows.map((r) => Number(r['model calls']))),
        medianInputTokens: median(inputs),
        medianOutputTokens: median(rows.map((r) => Number(r['output tokens']))),
        outcomes: rows.map((r) => String(r.outcome)).join(', '),
      },
      notes: [
        `tokens are estimates (${CHARS_PER_TOKEN} characters per token of the JSON sent and received): the server reports them as usage, and the ledger records what the server reported`,
        'input tokens add up every call of the remediation: each call resends the system prompt, the tools and the conversation so far',
        ...[...warnings].map((w) => `sandbox: ${w}`),
      ],
    };
  },
};
