/**
 * The model port on Amazon Bedrock's Converse API. Standard AWS SDK configuration (region and
 * credentials from the default chain, endpoint overridable with `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`);
 * transient failures retried here, with exponential backoff and full jitter, so the bound is ours;
 * everything else becomes a `ModelError` that says what to do. No prompt text ever reaches an error.
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ContentBlock as WireBlock,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  type Message as WireMessage,
} from '@aws-sdk/client-bedrock-runtime';
import { ConfigError } from '../errors.js';
import { TransientError } from '../workflow/errors.js';
import {
  ModelError,
  type ContentBlock,
  type Message,
  type Model,
  type ModelRequest,
  type ModelResponse,
  type StopReason,
} from './model.js';

export interface BedrockRetryOptions {
  /** Calls made at most, the first included. @default 5 */
  readonly attempts?: number;
  /** Cap of the first wait; it doubles after each failure. @default 500 */
  readonly baseDelayMs?: number;
  /** Cap of any one wait. @default 20000 */
  readonly maxDelayMs?: number;
}

export interface BedrockModelOptions {
  /** Model id, inference profile id or inference profile ARN. */
  readonly modelId: string;
  /** @default - the SDK's default chain: `AWS_REGION`, then the shared config profile */
  readonly region?: string;
  /**
   * A client of your own, for its credentials, handler or endpoint. Create it with `maxAttempts: 1`,
   * or the SDK's retries multiply ours.
   * @default - a client from standard AWS configuration, the SDK's own retries off
   */
  readonly client?: BedrockRuntimeClient;
  readonly retry?: BedrockRetryOptions;
  /** How backoff waits; tests inject one that records. Aborting the call also ends the wait. @default - a timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Service errors worth another attempt; network errors are recognised by code below. */
const RETRYABLE = new Set([
  'ThrottlingException',
  'ServiceUnavailableException',
  'ModelTimeoutException',
  'InternalServerException',
  'ModelNotReadyException',
]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_INVALID_SESSION',
]);
/** What the SDK's HTTP/2 handler throws, without a code, when a stream dies before its response. */
const NETWORK_MESSAGES = /http2 request did not get a response|HTTP\/2 stream is abnormally aborted/;
const STOP_REASONS: Readonly<Record<string, StopReason>> = {
  end_turn: 'end_turn',
  tool_use: 'tool_use',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  guardrail_intervened: 'guardrail_intervened',
  content_filtered: 'content_filtered',
  // The conversation cannot grow further: for the loop, the same as running out of tokens.
  model_context_window_exceeded: 'max_tokens',
};

/** A `Model` that calls Bedrock's Converse API for `modelId`. */
export function bedrockModel(options: BedrockModelOptions): Model {
  const { modelId } = options;
  const attempts = options.retry?.attempts ?? 5;
  const baseDelayMs = options.retry?.baseDelayMs ?? 500;
  const maxDelayMs = options.retry?.maxDelayMs ?? 20_000;
  validate({ modelId, attempts, baseDelayMs, maxDelayMs });
  const client = options.client ?? new BedrockRuntimeClient({ region: options.region, maxAttempts: 1 });
  const { sleep } = options;
  const wait = async (ms: number, signal: AbortSignal | undefined): Promise<void> => {
    if (sleep) return abortable(sleep(ms), signal);
    await delay(ms, undefined, { signal }).catch((error: unknown) => {
      signal?.throwIfAborted();
      throw error;
    });
  };
  const region = async (): Promise<string> => options.region ?? (await client.config.region().catch(() => 'the configured region'));

  return {
    id: modelId,
    async converse(request: ModelRequest, signal?: AbortSignal): Promise<ModelResponse> {
      const input = toConverseInput(modelId, request);
      for (let attempt = 1; ; attempt++) {
        signal?.throwIfAborted();
        const started = performance.now();
        let output: ConverseCommandOutput;
        try {
          output = await client.send(new ConverseCommand(input), { abortSignal: signal });
        } catch (error) {
          signal?.throwIfAborted();
          const what = errorName(error);
          if (!isRetryable(error)) throw failure(error, what, modelId, await region());
          if (attempt >= attempts) {
            throw new TransientError(
              `Bedrock Converse on ${modelId} failed ${attempts} times in a row, last with ${what}; try again later`,
              { cause: error },
            );
          }
          await wait(backoffMs(attempt, baseDelayMs, maxDelayMs), signal);
          continue;
        }
        return fromConverseOutput(output, modelId, Math.round(performance.now() - started));
      }
    },
  };
}

/** Full jitter: uniformly random in [0, min(max, base · 2^(attempt-1))). */
function backoffMs(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.floor(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
}

function validate(o: { modelId: string; attempts: number; baseDelayMs: number; maxDelayMs: number }): void {
  const problems: string[] = [];
  if (o.modelId.trim() === '') problems.push('modelId is empty: give a model id or inference profile');
  if (!Number.isInteger(o.attempts) || o.attempts < 1) problems.push(`retry.attempts is ${o.attempts}: use a whole number of at least 1`);
  if (!(o.baseDelayMs >= 0)) problems.push(`retry.baseDelayMs is ${o.baseDelayMs}: use 0 or more`);
  if (!(o.maxDelayMs >= 0)) problems.push(`retry.maxDelayMs is ${o.maxDelayMs}: use 0 or more`);
  if (problems.length > 0) throw new ConfigError(`bedrockModel: ${problems.join('; ')}`);
}

/** Waits for `promise` unless `signal` aborts first, then throws the abort reason. */
async function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  signal.throwIfAborted();
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

// ---- request and response ----

function toConverseInput(modelId: string, request: ModelRequest): ConverseCommandInput {
  return {
    modelId,
    system: [{ text: request.system }],
    messages: request.messages.map(toWireMessage),
    ...(request.tools.length > 0 && {
      toolConfig: {
        tools: request.tools.map((t) => ({
          toolSpec: { name: t.name, description: t.description, inputSchema: { json: t.inputSchema as Document } },
        })),
      },
    }),
    inferenceConfig: { maxTokens: request.maxTokens, ...(request.temperature !== undefined && { temperature: request.temperature }) },
  };
}

type Document = NonNullable<WireBlock.ToolUseMember['toolUse']['input']>;

function toWireMessage(message: Message): WireMessage {
  return { role: message.role, content: message.content.map(toWireBlock) };
}

function toWireBlock(block: ContentBlock): WireBlock {
  if ('text' in block) return { text: block.text };
  if ('toolUse' in block) {
    const { toolUseId, name, input } = block.toolUse;
    return { toolUse: { toolUseId, name, input: input as Document } };
  }
  const { toolUseId, content, status } = block.toolResult;
  return { toolResult: { toolUseId, content: content.map((c) => ({ text: c.text })), ...(status !== undefined && { status }) } };
}

function fromConverseOutput(output: ConverseCommandOutput, modelId: string, wallMs: number): ModelResponse {
  const message = output.output?.message;
  if (!message) {
    throw new ModelError(
      `Bedrock answered Converse on ${modelId} without a message (stopReason ${output.stopReason ?? 'none'}); the model may not support Converse`,
      { code: 'NoMessage' },
    );
  }
  const stopReason = output.stopReason === undefined ? undefined : STOP_REASONS[output.stopReason];
  if (!stopReason) {
    throw new ModelError(
      `Bedrock answered Converse on ${modelId} with stop reason ${output.stopReason ?? 'none'}, which cloudmend does not handle`,
      { code: output.stopReason ?? 'NoStopReason' },
    );
  }
  return {
    message: { role: message.role === 'user' ? 'user' : 'assistant', content: (message.content ?? []).flatMap(fromWireBlock) },
    stopReason,
    usage: { inputTokens: output.usage?.inputTokens ?? 0, outputTokens: output.usage?.outputTokens ?? 0 },
    latencyMs: output.metrics?.latencyMs ?? wallMs,
  };
}

/** Text, tool use and tool result; anything else (reasoning, images, citations, unknown kinds) is dropped. */
function fromWireBlock(block: WireBlock): ContentBlock[] {
  if (block.text !== undefined) return [{ text: block.text }];
  if (block.toolUse !== undefined) {
    const { toolUseId, name, input } = block.toolUse;
    return [{ toolUse: { toolUseId: toolUseId ?? '', name: name ?? '', input } }];
  }
  if (block.toolResult !== undefined) {
    const { toolUseId, content, status } = block.toolResult;
    const texts = (content ?? []).flatMap((c) => (c.text === undefined ? [] : [{ text: c.text }]));
    return [{ toolResult: { toolUseId: toolUseId ?? '', content: texts, status } }];
  }
  return [];
}

// ---- errors ----

interface SdkError {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

function errorName(error: unknown): string {
  const e = (error ?? {}) as SdkError;
  if (typeof e.code === 'string') return e.code;
  return typeof e.name === 'string' ? e.name : 'an unknown error';
}

function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as SdkError;
  if (typeof e.name === 'string' && (RETRYABLE.has(e.name) || e.name === 'TimeoutError')) return true;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  return e.$metadata?.httpStatusCode === undefined && typeof e.message === 'string' && NETWORK_MESSAGES.test(e.message);
}

/** A final failure, with what to do about it. Only the validation message from the service is quoted. */
function failure(error: unknown, name: string, modelId: string, region: string): ModelError {
  const said = (error as SdkError).message;
  const service = typeof said === 'string' && said !== '' ? `: ${said.slice(0, 300)}` : '';
  const at = `${modelId} in ${region}`;
  const make = (message: string, userFacing = false): ModelError => new ModelError(message, { code: name, userFacing, cause: error });
  switch (name) {
    case 'AccessDeniedException':
      return make(
        `Bedrock denied access to ${at}: enable model access for ${modelId} in ${region} (Bedrock console, Model access) and check that the role has bedrock:InvokeModel on the model or inference profile`,
        true,
      );
    case 'ResourceNotFoundException':
      return make(
        `Bedrock has no model ${at}: the model id or inference profile does not exist in that region; check it with aws bedrock list-foundation-models / list-inference-profiles --region ${region}`,
        true,
      );
    case 'ValidationException':
      return make(
        `Bedrock rejected the Converse request for ${at} as invalid${service}; check that the model supports system prompts and tool use and that maxTokens is within its limit`,
      );
    case 'ServiceQuotaExceededException':
      return make(
        `Bedrock quota exceeded for ${at}: request a higher quota in Service Quotas or use a cross-region inference profile`,
        true,
      );
    case 'ModelErrorException':
      return make(`the model ${at} failed while processing the request (ModelErrorException)`);
    case 'CredentialsProviderError':
      return make(
        `no AWS credentials for Bedrock ${at}: configure credentials (environment, profile, SSO or role) as for the AWS CLI`,
        true,
      );
    default:
      return make(`Bedrock Converse on ${at} failed with ${name}`);
  }
}
