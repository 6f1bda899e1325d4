/**
 * The model port: one conversation turn with tool use, in the shape of Amazon Bedrock's Converse
 * API but vendor-neutral, so the agent loop is tested with scripted models and run with Bedrock.
 */

import { CloudmendError } from '../errors.js';

export interface TextBlock {
  readonly text: string;
}

export interface ToolUseBlock {
  readonly toolUse: { readonly toolUseId: string; readonly name: string; readonly input: unknown };
}

export interface ToolResultBlock {
  readonly toolResult: {
    readonly toolUseId: string;
    readonly content: readonly TextBlock[];
    readonly status?: 'success' | 'error' | undefined;
  };
}

export type ContentBlock = TextBlock | ToolUseBlock | ToolResultBlock;

export interface Message {
  readonly role: 'user' | 'assistant';
  readonly content: readonly ContentBlock[];
}

export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the tool's input. */
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

export interface ModelRequest {
  readonly system: string;
  readonly messages: readonly Message[];
  readonly tools: readonly ToolSpec[];
  /** Output tokens this turn may use at most. */
  readonly maxTokens: number;
  readonly temperature?: number | undefined;
}

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'guardrail_intervened' | 'content_filtered';

export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface ModelResponse {
  readonly message: Message;
  readonly stopReason: StopReason;
  readonly usage: Usage;
  /** As the service measured it (Converse `metrics.latencyMs`), or wall time. */
  readonly latencyMs: number;
}

export interface Model {
  /** Model id or inference profile, for the record. */
  readonly id: string;
  /** One turn. Transient failures are retried inside, within bounds; what escapes is final. */
  converse(request: ModelRequest, signal?: AbortSignal): Promise<ModelResponse>;
}

/** What a remediation spent on the model, recorded in the ledger and shown by `cloudmend status`. */
export interface ModelUsage {
  readonly model: string;
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly latencyMs: number;
}

export const isToolUse = (block: ContentBlock): block is ToolUseBlock => 'toolUse' in block;
export const isText = (block: ContentBlock): block is TextBlock => 'text' in block;

/**
 * A model call that failed for good: access not granted, an unknown model, a request the service
 * refuses. The message says what to do; it never contains prompt text. `code` is the vendor's
 * error name. Transient failures that outlast the retries are `TransientError`s instead.
 */
export class ModelError extends CloudmendError {
  override name = 'ModelError';
  override readonly userFacing: boolean;
  readonly code: string;

  constructor(message: string, options: { code: string; userFacing?: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.code = options.code;
    this.userFacing = options.userFacing ?? false;
  }
}
