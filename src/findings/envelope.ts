/**
 * The EventBridge envelope every event shares, and the first look at an input: is it an event at
 * all, and if not, what is it likely to be, so that the error says how to fix it.
 */
import * as z from 'zod';
import { InvalidEventError } from '../errors.js';
import { describeIssues } from '../validation.js';

const EnvelopeSchema = z.object({
  id: z.string().min(1),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  account: z.string().min(1),
  time: z.string().min(1),
  region: z.string().min(1),
  resources: z.array(z.string()).default([]),
  detail: z.record(z.string(), z.unknown()),
});

export type Envelope = z.infer<typeof EnvelopeSchema>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Hints for inputs people commonly pass by mistake. */
function misidentified(input: Record<string, unknown>): string | undefined {
  if ('SchemaVersion' in input && 'ProductArn' in input) {
    return 'this is a bare Security Hub finding (ASFF), not an EventBridge event; wrap it as {"detail-type":"Security Hub Findings - Imported","source":"aws.securityhub","detail":{"findings":[<finding>]}, …} with id, account, region and time';
  }
  if (Array.isArray(input.Findings)) {
    return 'this looks like GetFindings output, not an EventBridge event; put each finding into an event\'s detail.findings';
  }
  if (!('detail-type' in input) && !('source' in input) && !('detail' in input)) {
    return `it has none of the envelope fields (detail-type, source, detail); its top-level keys are ${Object.keys(input).slice(0, 8).join(', ') || 'none'}`;
  }
  return undefined;
}

/** Validates the envelope; throws `InvalidEventError` naming each missing or malformed field. */
export function parseEnvelope(input: unknown): Envelope {
  if (!isRecord(input)) {
    const kind = Array.isArray(input) ? 'an array' : input === null ? 'null' : `a ${typeof input}`;
    throw new InvalidEventError(`not an EventBridge event: expected a JSON object, got ${kind}`);
  }
  const hint = misidentified(input);
  if (hint) throw new InvalidEventError(`not an EventBridge event: ${hint}`);
  const parsed = EnvelopeSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidEventError(`not a valid EventBridge event: ${describeIssues(parsed.error.issues).join('; ')}`);
  }
  return parsed.data;
}
