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

/**
 * How deep an event's arrays and objects may nest. Findings and configuration items nest a few
 * dozen levels at most; far deeper input would exhaust the stack of whatever walks it next
 * (structured clone, `JSON.stringify`, the state machine's input processing).
 */
export const MAX_EVENT_DEPTH = 100;

/**
 * True when `value` nests arrays and objects more than `max` levels deep. The walk is iterative,
 * so no depth can exhaust the stack here, and visits each object once, so it is linear in size.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const seen = new Set<object>();
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [current, depth] = next;
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    if (depth >= max) return true;
    seen.add(current);
    for (const child of Array.isArray(current) ? current : Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

/** The message for an input that {@link nestedDeeperThan} refuses. */
export function tooDeepMessage(max: number = MAX_EVENT_DEPTH): string {
  return `not an event cloudmend reads: its JSON nests arrays and objects more than ${max} levels deep (events nest a few dozen at most)`;
}

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
  if (nestedDeeperThan(input, MAX_EVENT_DEPTH)) throw new InvalidEventError(tooDeepMessage());
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
