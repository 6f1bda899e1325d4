import { InvalidEventError } from '../errors.js';
import { parseEnvelope, type Envelope } from './envelope.js';
import { EVENT_KINDS, kindOf } from './event-kinds.js';
import type { NormalizedEvent } from './normalized.js';

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
  return { kind, envelope, findings, problems };
}
