/**
 * A local Amazon Bedrock Converse endpoint for tests: HTTP/2 cleartext (h2c, as the SDK's default
 * `NodeHttp2Handler` speaks to an `http://` endpoint), `POST /model/{modelId}/converse` with a JSON
 * body, answered from a script in order. Errors are sent as the AWS restJson1 protocol does: an HTTP
 * status, the `x-amzn-errortype` header and a JSON `{ message }`. Every request is recorded.
 *
 *   const server = await startConverseServer();
 *   server.script(textReply('hello'), errorReply('ThrottlingException'), (request) => ...);
 *   new BedrockRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials: FAKE_CREDENTIALS, maxAttempts: 1 });
 */
import http2, { type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';

/** The JSON body of a Converse request, as far as tests look at it. */
export interface ConverseWireRequest {
  readonly messages?: readonly { readonly role: string; readonly content: readonly Record<string, unknown>[] }[];
  readonly system?: readonly { readonly text?: string }[];
  readonly toolConfig?: {
    readonly tools: readonly {
      readonly toolSpec: { readonly name: string; readonly description?: string; readonly inputSchema: { readonly json: unknown } };
    }[];
  };
  readonly inferenceConfig?: { readonly maxTokens?: number; readonly temperature?: number };
  readonly [key: string]: unknown;
}

export interface RecordedRequest {
  readonly method: string;
  /** The raw path, percent-encoding intact. */
  readonly path: string;
  /** The `{modelId}` label of the path, decoded. */
  readonly modelId: string;
  readonly body: ConverseWireRequest;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A Converse response body. */
export interface ConverseWireResponse {
  readonly output:
    | { readonly message: { readonly role: 'assistant'; readonly content: readonly Record<string, unknown>[] } }
    | Record<string, never>;
  readonly stopReason: string;
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number; readonly totalTokens: number };
  readonly metrics: { readonly latencyMs: number };
}

/** An error as the service sends it; `status` defaults to the one the service uses for `type`. */
export interface ErrorWireReply {
  readonly error: string;
  readonly status?: number;
  readonly message?: string;
}

export type ConverseReply =
  | ConverseWireResponse
  | ErrorWireReply
  /** The stream is reset before any response: a network failure as the client sees it. */
  | { readonly network: 'reset' }
  /** No answer until the client gives up or the server closes. */
  | { readonly hang: true };

export type ScriptEntry = ConverseReply | ((request: RecordedRequest) => ConverseReply | Promise<ConverseReply>);

export interface ConverseServer {
  /** `http://127.0.0.1:<port>`, for the client's `endpoint`. */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** Queues replies; each request takes the next one. A request finding the queue empty gets a 500 `ConverseServerScriptExhausted`. */
  script(...entries: readonly ScriptEntry[]): void;
  close(): Promise<void>;
}

/** Static credentials for clients pointed at the server; it does not check signatures. */
export const FAKE_CREDENTIALS = { accessKeyId: 'AKIDCONVERSESERVER', secretAccessKey: 'converse-server-secret' } as const;

/** The status Bedrock answers each error type with. */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  ServiceUnavailableException: 503,
  InternalServerException: 500,
  ModelTimeoutException: 408,
  AccessDeniedException: 403,
  ValidationException: 400,
  ServiceQuotaExceededException: 400,
  ResourceNotFoundException: 404,
  ModelErrorException: 424,
};

/** A Converse response with `content`; usage and latency default to small fixed numbers. */
export function converseReply(
  content: readonly Record<string, unknown>[],
  options: { stopReason?: string; inputTokens?: number; outputTokens?: number; latencyMs?: number } = {},
): ConverseWireResponse {
  const inputTokens = options.inputTokens ?? 10;
  const outputTokens = options.outputTokens ?? 5;
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: options.stopReason ?? 'end_turn',
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    metrics: { latencyMs: options.latencyMs ?? 42 },
  };
}

export const textReply = (text: string, options?: Parameters<typeof converseReply>[1]): ConverseWireResponse =>
  converseReply([{ text }], options);

export function toolUseReply(toolUseId: string, name: string, input: unknown, text?: string): ConverseWireResponse {
  const content = [...(text === undefined ? [] : [{ text }]), { toolUse: { toolUseId, name, input } }];
  return converseReply(content, { stopReason: 'tool_use' });
}

export const errorReply = (error: string, message = `${error} from the converse test server`): ErrorWireReply => ({ error, message });

/** Starts a server on a free port of 127.0.0.1. */
export async function startConverseServer(): Promise<ConverseServer> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptEntry[] = [];
  const sessions = new Set<Http2Session>();
  const server = http2.createServer((req, res) => void handle(req, res));
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });

  async function handle(req: Http2ServerRequest, res: Http2ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url;
    const match = /^\/model\/([^/?]+)\/converse$/.exec(path);
    if (req.method !== 'POST' || !match?.[1])
      return sendError(res, { error: 'UnknownOperationException', status: 404, message: `no route for ${req.method} ${path}` });
    let body: ConverseWireRequest;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ConverseWireRequest;
    } catch {
      return sendError(res, { error: 'SerializationException', status: 400, message: 'body is not JSON' });
    }
    const request: RecordedRequest = { method: req.method, path, modelId: decodeURIComponent(match[1]), body, headers: { ...req.headers } };
    requests.push(request);
    const entry = queue.shift();
    if (entry === undefined)
      return sendError(res, {
        error: 'ConverseServerScriptExhausted',
        status: 500,
        message: `no scripted reply left for request ${requests.length}`,
      });
    let reply: ConverseReply;
    try {
      reply = typeof entry === 'function' ? await entry(request) : entry;
    } catch (error) {
      return sendError(res, { error: 'ConverseServerScriptError', status: 500, message: String(error) });
    }
    if ('hang' in reply) return;
    if ('network' in reply) return req.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    if ('error' in reply) return sendError(res, reply);
    send(res, 200, {}, reply);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...entries) => void queue.push(...entries),
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
}

function sendError(res: Http2ServerResponse, reply: ErrorWireReply): void {
  const status = reply.status ?? ERROR_STATUS[reply.error] ?? 400;
  send(res, status, { 'x-amzn-errortype': reply.error }, { message: reply.message ?? reply.error });
}

function send(res: Http2ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  if (res.stream.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': crypto.randomUUID(), ...headers });
  res.end(JSON.stringify(body));
}
