/**
 * The local sandbox's wire: JSON lines between cloudmend (the parent) and the sandboxed agent
 * process. The parent holds the model credentials and answers `converse` requests; the child has
 * neither credentials nor network, and ends with `done`.
 */
import type { ModelRequest, ModelResponse } from '../agent/model.js';
import type { AgentResult, AgentTask } from '../agent/task.js';

export type ToChild =
  | { readonly type: 'task'; readonly task: AgentTask }
  | { readonly type: 'converse.result'; readonly id: number; readonly response: ModelResponse }
  | { readonly type: 'converse.error'; readonly id: number; readonly error: { readonly name: string; readonly message: string } };

export type FromChild =
  | { readonly type: 'converse'; readonly id: number; readonly request: ModelRequest }
  | { readonly type: 'done'; readonly result: AgentResult }
  /** The run failed (a model error that outlasted its retries, a bug): the remediation fails, to be retried. */
  | { readonly type: 'failed'; readonly error: { readonly name: string; readonly message: string } };

/** Lines that are not protocol (a library printing to stdout) are ignored, never parsed as answers. */
export function parseLine<T extends { type: string }>(line: string): T | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    return value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
