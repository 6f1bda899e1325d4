import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bedrockModel, type BedrockModelOptions } from '../../src/agent/bedrock.js';
import { ModelError, type ModelRequest } from '../../src/agent/model.js';
import { TransientError } from '../../src/workflow/errors.js';
import {
  converseReply,
  errorReply,
  FAKE_CREDENTIALS,
  startConverseServer,
  textReply,
  toolUseReply,
  type ConverseServer,
} from './converse-server.js';

const MODEL = 'anthropic.claude-sonnet-4-20250514-v1:0';
const PROMPT = 'Fix bucket secret-prompt-text-7f3a please.';

let server: ConverseServer;
let client: BedrockRuntimeClient;

beforeEach(async () => {
  server = await startConverseServer();
  client = new BedrockRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials: FAKE_CREDENTIALS, maxAttempts: 1 });
});

afterEach(async () => {
  client.destroy();
  await server.close();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** A model on the test client whose backoff waits are recorded instead of slept. */
function setup(options: Partial<BedrockModelOptions> = {}) {
  const waits: number[] = [];
  const model = bedrockModel({ modelId: MODEL, client, sleep: (ms) => (waits.push(ms), Promise.resolve()), ...options });
  return { model, waits };
}

const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  system: 'You fix infrastructure code.',
  messages: [{ role: 'user', content: [{ text: PROMPT }] }],
  tools: [],
  maxTokens: 256,
  ...overrides,
});

const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );

describe('bedrockModel', () => {
  describe('requests and responses', () => {
    it('returns the text, stop reason, usage and service latency of a text reply', async () => {
      server.script(textReply('Done.', { inputTokens: 120, outputTokens: 7, latencyMs: 321 }));
      const response = await setup().model.converse(request({ temperature: 0 }));
      expect(response).toEqual({
        message: { role: 'assistant', content: [{ text: 'Done.' }] },
        stopReason: 'end_turn',
        usage: { inputTokens: 120, outputTokens: 7 },
        latencyMs: 321,
      });
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]?.body).toEqual({
        system: [{ text: 'You fix infrastructure code.' }],
        messages: [{ role: 'user', content: [{ text: PROMPT }] }],
        inferenceConfig: { maxTokens: 256, temperature: 0 },
      });
    });

    it('sends the tools as toolConfig and maps a tool_use reply to a ToolUseBlock', async () => {
      server.script(toolUseReply('tu-1', 'read_file', { path: 'main.tf' }, 'Reading the file.'));
      const tools = [
        {
          name: 'read_file',
          description: 'Reads a file of the target.',
          inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
        },
      ];
      const response = await setup().model.converse(request({ tools }));
      expect(response.stopReason).toBe('tool_use');
      expect(response.message.content).toEqual([
        { text: 'Reading the file.' },
        { toolUse: { toolUseId: 'tu-1', name: 'read_file', input: { path: 'main.tf' } } },
      ]);
      expect(server.requests[0]?.body.toolConfig).toEqual({
        tools: [
          { toolSpec: { name: 'read_file', description: 'Reads a file of the target.', inputSchema: { json: tools[0]?.inputSchema } } },
        ],
      });
      expect(server.requests[0]?.body.inferenceConfig).toEqual({ maxTokens: 256 });
    });

    it('sends tool use and tool result blocks back as the Converse wire format has them', async () => {
      server.script(textReply('Patched.'));
      await setup().model.converse(
        request({
          messages: [
            { role: 'user', content: [{ text: PROMPT }] },
            { role: 'assistant', content: [{ toolUse: { toolUseId: 'tu-1', name: 'read_file', input: { path: 'main.tf' } } }] },
            {
              role: 'user',
              content: [
                { toolResult: { toolUseId: 'tu-1', content: [{ text: 'resource "aws_s3_bucket" "b" {}' }], status: 'success' } },
                { toolResult: { toolUseId: 'tu-2', content: [{ text: 'no such file' }], status: 'error' } },
              ],
            },
          ],
        }),
      );
      expect(server.requests[0]?.body.messages?.slice(1)).toEqual([
        { role: 'assistant', content: [{ toolUse: { toolUseId: 'tu-1', name: 'read_file', input: { path: 'main.tf' } } }] },
        {
          role: 'user',
          content: [
            { toolResult: { toolUseId: 'tu-1', content: [{ text: 'resource "aws_s3_bucket" "b" {}' }], status: 'success' } },
            { toolResult: { toolUseId: 'tu-2', content: [{ text: 'no such file' }], status: 'error' } },
          ],
        },
      ]);
    });

    it('drops content blocks it does not know instead of failing', async () => {
      server.script(
        converseReply([
          { reasoningContent: { reasoningText: { text: 'thinking', signature: 'sig' } } },
          { text: 'Answer.' },
          { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } },
          { somethingNew: { x: 1 } },
        ]),
      );
      const response = await setup().model.converse(request());
      expect(response.message.content).toEqual([{ text: 'Answer.' }]);
    });

    it('maps a context window overflow to max_tokens', async () => {
      server.script(textReply('', { stopReason: 'model_context_window_exceeded' }));
      expect((await setup().model.converse(request())).stopReason).toBe('max_tokens');
    });

    it('fails with a ModelError naming the model when the response has no output message', async () => {
      server.script({ ...textReply('x'), output: {} });
      const error = await failureOf(setup().model.converse(request()));
      expect(error).toBeInstanceOf(ModelError);
      expect((error as Error).message).toMatch(`without a message (stopReason end_turn)`);
      expect((error as Error).message).toContain(MODEL);
    });

    it.each([
      [
        'a foundation model id with a colon',
        'anthropic.claude-3-5-sonnet-20240620-v1:0',
        '/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse',
      ],
      [
        'a cross-region inference profile id',
        'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
        '/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse',
      ],
      [
        'an inference profile ARN',
        'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0',
        '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse',
      ],
      [
        'an application inference profile ARN',
        'arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a1b2c3d4e5f6',
        '/model/arn%3Aaws%3Abedrock%3Aeu-west-1%3A123456789012%3Aapplication-inference-profile%2Fa1b2c3d4e5f6/converse',
      ],
    ])('URL-encodes %s in the request path', async (_, modelId, path) => {
      server.script(textReply('ok'));
      await setup({ modelId }).model.converse(request());
      expect(server.requests[0]).toMatchObject({ method: 'POST', path, modelId });
    });
  });

  describe('retries', () => {
    it('retries throttling twice with bounded, jittered waits and then succeeds', async () => {
      vi.spyOn(Math, 'random').mockReturnValueOnce(0.999).mockReturnValueOnce(0.1);
      server.script(errorReply('ThrottlingException'), errorReply('ThrottlingException'), textReply('ok'));
      const { model, waits } = setup({ retry: { baseDelayMs: 500 } });
      expect((await model.converse(request())).message.content).toEqual([{ text: 'ok' }]);
      expect(server.requests).toHaveLength(3);
      // Full jitter: a uniform fraction of 500, then of 1000.
      expect(waits).toEqual([499, 100]);
    });

    it('keeps every wait below maxDelayMs and throws a TransientError after exactly `attempts` requests', async () => {
      vi.spyOn(Math, 'random').mockReturnValue(0.999);
      server.script(...Array.from({ length: 6 }, () => errorReply('ServiceUnavailableException')));
      const { model, waits } = setup({ retry: { attempts: 4, baseDelayMs: 1000, maxDelayMs: 1500 } });
      const error = await failureOf(model.converse(request()));
      expect(error).toBeInstanceOf(TransientError);
      expect(error).toMatchObject({ name: 'cloudmend.Transient' });
      expect((error as Error).message).toMatch(/failed 4 times in a row, last with ServiceUnavailableException/);
      expect(server.requests).toHaveLength(4);
      expect(waits).toEqual([999, 1498, 1498]);
    });

    it.each([['ServiceUnavailableException'], ['ModelTimeoutException'], ['InternalServerException'], ['ModelNotReadyException']])(
      'retries %s',
      async (type) => {
        server.script(errorReply(type), textReply('ok'));
        await setup().model.converse(request());
        expect(server.requests).toHaveLength(2);
      },
    );

    it('retries a stream reset by the network', async () => {
      server.script({ network: 'reset' }, textReply('ok'));
      await setup().model.converse(request());
      expect(server.requests).toHaveLength(2);
    });
  });

  describe('final errors', () => {
    it('turns AccessDenied into a ModelError that says how to grant access, after a single request', async () => {
      server.script(errorReply('AccessDeniedException', 'You do not have access to the model with the specified model ID.'));
      const error = await failureOf(setup().model.converse(request()));
      expect(error).toBeInstanceOf(ModelError);
      expect(error).toMatchObject({ code: 'AccessDeniedException', userFacing: true });
      expect((error as Error).message).toContain(`enable model access for ${MODEL} in us-east-1`);
      expect((error as Error).message).toContain('bedrock:InvokeModel');
      expect(server.requests).toHaveLength(1);
    });

    it.each([
      ['ResourceNotFoundException', 'the model id or inference profile does not exist in that region'],
      ['ValidationException', 'as invalid: ValidationException from the converse test server'],
      ['ModelErrorException', 'failed while processing the request'],
    ])('turns %s into a ModelError without retrying', async (type, hint) => {
      server.script(errorReply(type), textReply('never sent'));
      const error = await failureOf(setup().model.converse(request()));
      expect(error).toBeInstanceOf(ModelError);
      expect((error as Error).message).toContain(hint);
      expect(server.requests).toHaveLength(1);
    });

    it.each([
      ['AccessDeniedException', 1],
      ['ThrottlingException', 2],
      ['ValidationException', 1],
    ])('keeps the prompt out of the error message for %s', async (type, attempts) => {
      server.script(errorReply(type), errorReply(type));
      const error = await failureOf(setup({ retry: { attempts } }).model.converse(request()));
      expect((error as Error).message).not.toContain('secret-prompt-text');
    });

    it('refuses retry options that cannot work, naming each', () => {
      expect(() => bedrockModel({ modelId: ' ', client, retry: { attempts: 0, maxDelayMs: -1 } })).toThrow(
        /modelId is empty.*retry\.attempts is 0.*retry\.maxDelayMs is -1/,
      );
    });
  });

  describe('abort', () => {
    it('stops a pending backoff wait when the signal aborts', async () => {
      const controller = new AbortController();
      server.script(errorReply('ThrottlingException'), textReply('never sent'));
      const { model } = setup({ sleep: () => (controller.abort(), new Promise<void>(() => undefined)) });
      const error = await failureOf(model.converse(request(), controller.signal));
      expect(error).toMatchObject({ name: 'AbortError' });
      expect(server.requests).toHaveLength(1);
    });

    it('stops the default timer wait when the signal aborts', async () => {
      const controller = new AbortController();
      server.script(() => (setTimeout(() => controller.abort(), 20), errorReply('ThrottlingException')));
      vi.spyOn(Math, 'random').mockReturnValue(0.999);
      const model = bedrockModel({ modelId: MODEL, client, retry: { baseDelayMs: 60_000 } });
      const started = Date.now();
      await expect(model.converse(request(), controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(server.requests).toHaveLength(1);
    });

    it('aborts a call in flight', async () => {
      const controller = new AbortController();
      server.script(() => (controller.abort(), { hang: true }));
      await expect(setup().model.converse(request(), controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
      expect(server.requests).toHaveLength(1);
    });
  });

  describe('standard AWS configuration', () => {
    beforeEach(() => {
      for (const name of [
        'AWS_ENDPOINT_URL',
        'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
        'AWS_SESSION_TOKEN',
        'AWS_PROFILE',
        'AWS_BEARER_TOKEN_BEDROCK',
        'AWS_DEFAULT_REGION',
      ])
        vi.stubEnv(name, undefined);
      vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/cloudmend-test/config');
      vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/cloudmend-test/credentials');
      vi.stubEnv('AWS_ENDPOINT_URL_BEDROCK_RUNTIME', server.url);
      vi.stubEnv('AWS_REGION', 'eu-central-1');
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFROMENVIRONMENT');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret-from-environment');
    });

    it('sends to AWS_ENDPOINT_URL_BEDROCK_RUNTIME with region and credentials from the default chain when no client is given', async () => {
      server.script(textReply('from env'));
      const response = await bedrockModel({ modelId: MODEL }).converse(request());
      expect(response.message.content).toEqual([{ text: 'from env' }]);
      expect(server.requests[0]?.headers.authorization).toMatch(
        /Credential=AKIDFROMENVIRONMENT\/\d{8}\/eu-central-1\/bedrock\/aws4_request/,
      );
    });

    it('prefers the region option to the environment', async () => {
      server.script(textReply('ok'));
      await bedrockModel({ modelId: MODEL, region: 'ap-southeast-2' }).converse(request());
      expect(server.requests[0]?.headers.authorization).toContain('/ap-southeast-2/bedrock/aws4_request');
    });

    it('turns off the SDK retries of the client it creates, so `attempts` is the bound', async () => {
      server.script(...Array.from({ length: 4 }, () => errorReply('ThrottlingException')));
      const model = bedrockModel({ modelId: MODEL, retry: { attempts: 2 }, sleep: () => Promise.resolve() });
      await expect(model.converse(request())).rejects.toBeInstanceOf(TransientError);
      expect(server.requests).toHaveLength(2);
    });
  });
});
