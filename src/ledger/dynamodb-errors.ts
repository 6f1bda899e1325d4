/**
 * Translation of DynamoDB and network failures into ledger errors.
 */
import { CloudmendError } from '../errors.js';
import { LedgerBusyError, LedgerUnavailableError } from './errors.js';

export { LedgerBusyError };

/** Throttling, capacity and transaction contention: retried by the SDK first, then by the caller. */
const BUSY_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TransactionInProgressException',
  'TimeoutError',
]);

/** Cancellation reasons of `TransactWriteItems` that mean "try again later". */
const BUSY_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'TransactionConflict']);

/** Socket failures between the client and the endpoint. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/** The account cannot use the table: credentials or permissions, not a passing condition. */
const DENIED_ERRORS = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'CredentialsProviderError',
]);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $fault?: unknown;
  readonly CancellationReasons?: readonly { readonly Code?: string | undefined }[] | undefined;
}

function shape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

/** The reason codes of a cancelled transaction, one per item (`None` for items that were fine). */
export function cancellationCodes(error: unknown): readonly string[] | undefined {
  const e = shape(error);
  if (e.name !== 'TransactionCanceledException') return undefined;
  return (e.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}

/** True for a single-item write whose `ConditionExpression` did not hold. */
export function isConditionFailed(error: unknown): boolean {
  return shape(error).name === 'ConditionalCheckFailedException';
}

/** True when waiting and retrying the same call is the right response. */
function isBusy(error: unknown): boolean {
  const e = shape(error);
  if (typeof e.name === 'string' && BUSY_ERRORS.has(e.name)) return true;
  if (e.$fault === 'server') return true;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  return (cancellationCodes(error) ?? []).some((code) => BUSY_REASONS.has(code));
}

/** Map SDK and network failures to ledger errors; leave our own errors and bugs alone. */
export function translateError(error: unknown, table: string): unknown {
  if (error instanceof CloudmendError) return error;
  const name = shape(error).name;
  if (isBusy(error)) {
    return new LedgerBusyError(`the DynamoDB ledger table ${table} is busy or briefly unavailable (${String(name)}); retry later`, {
      cause: error,
    });
  }
  if (name === 'ResourceNotFoundException') {
    return new LedgerUnavailableError(
      `the DynamoDB ledger table ${table} does not exist in this account and region; deploy the stack or fix tableName`,
      { cause: error },
    );
  }
  if (typeof name === 'string' && DENIED_ERRORS.has(name)) {
    return new LedgerUnavailableError(
      `cannot use the DynamoDB ledger table ${table} (${name}); check the credentials and their IAM permissions`,
      { cause: error },
    );
  }
  return error;
}

/**
 * `error` with every occurrence of `secret` cut out of its message and stack (the SDK echoes some
 * request values in validation messages). Used where a task token is sent.
 */
export function withoutSecret(error: unknown, secret: string): unknown {
  if (!(error instanceof Error) || secret === '') return error;
  const leaks = (e: unknown): boolean =>
    e instanceof Error && (e.message.includes(secret) || (e.stack ?? '').includes(secret) || leaks(e.cause));
  if (!leaks(error)) return error;
  const redacted = new Error(error.message.split(secret).join('[task token]'));
  redacted.name = error.name;
  return redacted;
}
