/**
 * Slack request signing (https://docs.slack.dev/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:<timestamp>:<raw body>")>`.
 *
 * Whoever can forge or replay a signed request can approve a change, so this check runs on the raw
 * bytes before anything is parsed, and it never throws: every input it cannot use is a rejection.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's own window: older (or newer) requests are refused so a captured request cannot be replayed later. */
const SIGNATURE_WINDOW_SECONDS = 5 * 60;

/** The signed parts of a request, as received, and the clock to judge its age by. */
export interface SignatureInput {
  readonly signingSecret: string;
  /** The `X-Slack-Request-Timestamp` header (Unix seconds). */
  readonly timestamp: string | undefined;
  /** The raw request body, exactly as received (a string, or bytes after base64 decoding). */
  readonly body: string | Uint8Array;
  /** The `X-Slack-Signature` header. */
  readonly signature: string | undefined;
  readonly now: Date;
}

/** Why a request was refused; for logs only, never for the HTTP response. */
export type SignatureFailure =
  | 'no_secret'
  | 'missing_timestamp'
  | 'malformed_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'missing_signature'
  | 'malformed_signature'
  | 'malformed_body'
  | 'mismatch';

/** `ok: true` only for a request Slack signed within the window. */
export type SignatureResult = { readonly ok: true } | { readonly ok: false; readonly reason: SignatureFailure };

const TIMESTAMP = /^\d{1,15}$/;
const SIGNATURE = /^v0=([0-9a-f]{64})$/;

const fail = (reason: SignatureFailure): SignatureResult => ({ ok: false, reason });

/**
 * Checks a Slack request signature in constant time and refuses timestamps more than five minutes
 * from `now` in either direction. Returns a result for every input, typed or not; never throws.
 */
export function verifySlackSignature(input: SignatureInput): SignatureResult {
  const { signingSecret, timestamp, body, signature, now } = input;
  // An empty key would let anyone compute a valid signature: a misconfiguration must fail closed.
  if (typeof signingSecret !== 'string' || signingSecret.length === 0) return fail('no_secret');
  if (timestamp === undefined || timestamp === '') return fail('missing_timestamp');
  if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp)) return fail('malformed_timestamp');
  if (signature === undefined || signature === '') return fail('missing_signature');
  const received = typeof signature === 'string' ? SIGNATURE.exec(signature)?.[1] : undefined;
  if (received === undefined) return fail('malformed_signature');
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return fail('malformed_body');
  const nowSeconds = now instanceof Date ? Math.floor(now.getTime() / 1000) : Number.NaN;
  if (!Number.isFinite(nowSeconds)) return fail('stale_timestamp');
  const age = nowSeconds - Number(timestamp);
  if (age > SIGNATURE_WINDOW_SECONDS) return fail('stale_timestamp');
  if (age < -SIGNATURE_WINDOW_SECONDS) return fail('future_timestamp');

  const expected = createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(body).digest();
  // Both sides are 32 bytes (the regex fixed the hex length), as timingSafeEqual requires.
  const actual = Buffer.from(received, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? { ok: true } : fail('mismatch');
}
