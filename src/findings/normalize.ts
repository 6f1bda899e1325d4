import { InvalidEventError } from '../errors.js';
import { printableLine } from '../printable.js';
import { parseEnvelope, type Envelope } from './envelope.js';
import { EVENT_KINDS, kindOf } from './event-kinds.js';
import type { Finding } from './finding.js';
import type { NormalizedEvent } from './normalized.js';

/** ASFF allows 256 characters for a title; what cloudmend keeps of a longer one. */
export const MAX_TITLE_CHARS = 512;

const SUPPORTED = Object.values(EVENT_KINDS)
  .map((k) => `"${k.detailType}" (${k.source})`)
  .join(', ');

/**
 * Turns one EventBridge event into findings. Throws `InvalidEventError` (and nothing else) when
 * the input is not an event cloudmend consumes or yields no readable finding; an event with some
 * unreadable entries returns the readable ones and lists the others in `problems`.
 */
export function normalizeEvent(input: unknown): NormalizedEvent & { readonly envelope: Envelope } {
  const envelope = parseEnvelope(input);
  const kind = kindOf(envelope.source, envelope['detail-type']);
  if (!kind) {
    throw new InvalidEventError(
      `unsupported event: detail-type "${envelope['detail-type']}" from source "${envelope.source}"; cloudmend consumes ${SUPPORTED}`,
    );
  }
  const { findings, problems } = EVENT_KINDS[kind].normalize(envelope);
  if (findings.length === 0) {
    throw new InvalidEventError(`"${envelope['detail-type']}" event ${envelope.id} has no readable finding: ${problems.join('; ')}`);
  }
  return { kind, envelope, findings: findings.map(withDisplayTitle), problems };
}

/**
 * The title is display text only (never matched or hashed) and lands in pull request titles,
 * commit messages, the ledger and Slack: one line, controls and invisible characters shown as
 * `\uXXXX` (git refuses a NUL byte in a commit message), bounded.
 */
function withDisplayTitle(finding: Finding): Finding {
  const line = printableLine(finding.title);
  // Cut before the limit, never between the halves of a surrogate pair.
  const end = /[\ud800-\udbff]/.test(line.charAt(MAX_TITLE_CHARS - 2)) ? MAX_TITLE_CHARS - 2 : MAX_TITLE_CHARS - 1;
  const title = line.length > MAX_TITLE_CHARS ? `${line.slice(0, end)}…` : line;
  return title === finding.title ? finding : { ...finding, title };
}
