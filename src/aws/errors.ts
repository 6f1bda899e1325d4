/**
 * AWS SDK errors in the workflow's vocabulary: what is worth retrying becomes a TransientError
 * (the state machine retries it with backoff and jitter), the rest keeps its name and message.
 */
import { TransientError } from '../workflow/errors.js';

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'LimitExceededException',
]);

/** True for throttling, server-side failures and errors the SDK marks retryable. */
export function isTransientAwsError(error: unknown): boolean {
  const e = error as { name?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: unknown } } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.$retryable) return true;
  if (typeof e.name === 'string' && THROTTLING.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 500;
}

/** Runs an SDK call; a transient failure is rethrown as TransientError naming what was attempted. */
export async function awsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isTransientAwsError(error))
      throw new TransientError(`${what}: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
    throw error;
  }
}
