/**
 * Step Functions' payload limit, in one place: an execution's input, and every state's input and
 * output, is at most 256 KiB of UTF-8 JSON. Exceeding it inside an execution is
 * `States.DataLimitExceeded`, which no Catch catches: the execution fails and its findings stay
 * where they were. So large payloads travel by reference (src/workflow/stored.ts), batches are cut
 * by bytes (src/triggers/batching.ts), and the local runtime enforces the limit (src/local/runtime.ts).
 */

/** StartExecution's input, and any state's input or output, at most (bytes of UTF-8 JSON). */
export const STATE_LIMIT_BYTES = 262_144;

/**
 * What a backfill execution's input, and a batch's events (stored, and read by one Normalize), may
 * hold: an ordinary event can be that large too (EventBridge's own limit is 256 KiB), and the rest
 * is headroom for the envelope.
 */
export const EXECUTION_INPUT_BUDGET_BYTES = 200_000;

/** The size Step Functions measures: UTF-8 bytes of the JSON text. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null');
}
