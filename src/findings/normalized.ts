import type { Finding } from './finding.js';
import type { Envelope } from './envelope.js';

/**
 * What a normalizer made of one event: its findings, and the entries it could not read. An event
 * with a bad entry still yields its good ones; the bad ones are reported, never dropped silently.
 */
export interface NormalizedEvent {
  readonly kind: EventKind;
  readonly findings: readonly Finding[];
  readonly problems: readonly string[];
}

export type EventKind =
  | 'securityhub-imported'
  | 'securityhub-imported-v2'
  | 'securityhub-custom-action'
  | 'config-compliance-change'
  | 'config-item-change'
  | 'scheduled'
  | 'drift-detected'
  | 'smoke-test';

export type Normalizer = (envelope: Envelope) => Omit<NormalizedEvent, 'kind'>;

/** Keeps only string-valued tags: tags are untrusted and other types have no meaning here. */
export function stringTags(tags: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags ?? {})) if (typeof value === 'string') out[key] = value;
  return out;
}
