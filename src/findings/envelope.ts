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
 * Objects the quick walk of {@link nestedDeeperThan} may visit before it leaves the answer to the
 * exact walk: far more than an event holds, few enough that shared references cannot make it slow.
 */
const QUICK_WALK_BUDGET = 1 << 20;

/**
 * True when `value` nests arrays and objects more than `max` levels deep. The walks are iterative,
 * so no depth can exhaust the stack here, and bounded: the quick one by its budget, the exact one
 * by visiting each object once, so the cost stays linear in size.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  // Parsed JSON is a tree: a walk that remembers nothing answers "not deeper" at half the cost
  // (this runs on every event). Only an input it finds deep, or that shares so many objects that
  // the walk runs out of budget, needs the exact walk, which is the answer in every case.
  return !shallowTree(value, max) && deeperExactly(value, max);
}

/**
 * True when every path of objects from `value` is shorter than `max`, found without remembering
 * what was visited: objects reached twice are walked twice. False when some path reaches `max`
 * (which a shared or cyclic reference can fake) or the budget runs out.
 */
function shallowTree(value: object, max: number): boolean {
  const objects: object[] = [value];
  const depths: number[] = [0];
  let budget = QUICK_WALK_BUDGET;
  for (let current = objects.pop(); current !== undefined; current = objects.pop()) {
    const depth = (depths.pop() ?? 0) + 1;
    if (depth > max || (budget -= 1) < 0) return false;
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i += 1) {
        const child: unknown = current[i];
        if (typeof child === 'object' && child !== null) {
          objects.push(child);
          depths.push(depth);
        }
      }
    } else {
      const record = current as Record<string, unknown>;
      // Own enumerable string keys, the children Object.values would give, without an array each.
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        const child = record[key];
        if (typeof child === 'object' && child !== null) {
          objects.push(child);
          depths.push(depth);
        }
      }
    }
  }
  return true;
}

/** The exact walk: each object once, at the depth it is first reached in this order. */
function deeperExactly(value: object, max: number): boolean {
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
  if ('class_uid' in input && 'finding_info' in input) {
    return 'this is a bare Security Hub v2 finding (OCSF), not an EventBridge event; wrap it as {"detail-type":"Findings Imported V2","source":"aws.securityhub","detail":{"findings":[<finding>]}, …} with id, account, region and time';
  }
  if (Array.isArray(input.Findings)) {
    return "this looks like GetFindings or GetFindingsV2 output, not an EventBridge event; put each finding into an event's detail.findings";
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
