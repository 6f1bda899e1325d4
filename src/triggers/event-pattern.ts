/**
 * An Amazon EventBridge event pattern matcher (event-bus content filtering), so that cloudmend can
 * decide locally which events a trigger's pattern selects, with the same answer EventBridge gives.
 *
 * Semantics, beyond what the EventBridge user guide spells out (each pinned by a test):
 * - Leaves are arrays of alternatives (OR); fields are ANDed; `$or` ORs whole sub-patterns.
 * - Numbers compare numerically (300 matches 300.0); a string never equals a number, boolean or null.
 * - prefix, suffix, equals-ignore-case, wildcard and cidr only match strings; numeric only numbers.
 * - anything-but needs the field present and matches every value that is not excluded, whatever its
 *   type: `{"anything-but": ["a"]}` matches null and 5 (AWS does; see event-pattern-operators.ts).
 * - A field "has values" only where it holds scalars: an object or empty array there counts as
 *   absent, so `exists: false` matches it and `exists: true` does not. `null` is a value.
 * - Arrays in the event are flattened, nested ones too; see `valuesAt` for arrays of objects.
 */
import { CloudmendError } from '../errors.js';
import { formatPath } from '../validation.js';
import type { CompiledPattern, PatternNode } from './event-pattern-compile.js';
import { compileEventPattern } from './event-pattern-compile.js';
import { isRecord, isScalar, matchesValue } from './event-pattern-operators.js';

/** A JSON event pattern, as written in an EventBridge rule. Validate with {@link validateEventPattern}. */
export type EventPattern = { readonly [key: string]: unknown };

export interface PatternMismatch {
  /** Dotted path of the event field that failed, such as `detail.findings.Workflow.Status`. */
  readonly path: string;
  /** The pattern's array of alternatives for that field, as written. */
  readonly expected: unknown;
  /** The event's values there, arrays flattened; empty when the field is absent. */
  readonly actual: readonly unknown[];
}

export type MatchResult = { readonly matched: true } | { readonly matched: false; readonly mismatch: PatternMismatch };

/** A pattern EventBridge would refuse. The message lists every problem, each with its path in the pattern. */
export class InvalidPatternError extends CloudmendError {
  override name = 'InvalidPatternError';
  override readonly userFacing = true;
}

// Compiled once per pattern object, which is why patterns must not be mutated after first use.
const compiledPatterns = new WeakMap<object, CompiledPattern>();

/**
 * Throws {@link InvalidPatternError} listing every problem (with the JSON path of each) when the
 * pattern is not a valid EventBridge pattern: not an object, empty objects or leaf arrays, unknown
 * operators, bad operands (numeric ranges, CIDR blocks, wildcards), or an `$or` that is not an array
 * of at least 2 objects. A pattern is compiled once per object, so do not mutate it after first use.
 */
export function validateEventPattern(pattern: unknown): asserts pattern is EventPattern {
  compiled(pattern);
}

/**
 * Evaluates `event` against `pattern` like EventBridge; on no match, `mismatch` names the first field
 * (in pattern order; for an `$or`, within its first branch) that failed, the pattern's expectation and
 * the event's actual values there (empty array when absent). Never throws on any JSON event; throws
 * {@link InvalidPatternError} when the pattern itself is invalid.
 */
export function matchEventPattern(pattern: EventPattern, event: unknown): MatchResult {
  const mismatch = matchFields(compiled(pattern), isRecord(event) ? [event] : []);
  return mismatch === undefined ? { matched: true } : { matched: false, mismatch };
}

/** {@link matchEventPattern} when only the verdict matters. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return matchEventPattern(pattern, event).matched;
}

function compiled(pattern: unknown): CompiledPattern {
  const cached = isRecord(pattern) ? compiledPatterns.get(pattern) : undefined;
  if (cached !== undefined) return cached;
  const result = compileEventPattern(pattern);
  if (!result.ok) {
    const count = `${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`;
    const list = result.problems.map((problem) => `  - ${problem}`).join('\n');
    throw new InvalidPatternError(`Invalid EventBridge event pattern (${count}):\n${list}`);
  }
  if (isRecord(pattern)) compiledPatterns.set(pattern, result.fields);
  return result.fields;
}

/** The first failing field of `fields` against the objects `nodes`, or undefined when all match. */
function matchFields(fields: CompiledPattern, nodes: readonly Readonly<Record<string, unknown>>[]): PatternMismatch | undefined {
  for (const field of fields) {
    const mismatch = matchNode(field, nodes);
    if (mismatch !== undefined) return mismatch;
  }
  return undefined;
}

function matchNode(node: PatternNode, nodes: readonly Readonly<Record<string, unknown>>[]): PatternMismatch | undefined {
  switch (node.kind) {
    case 'leaf': {
      const values = valuesAt(nodes, node.key, isScalar);
      const matched = node.alternatives.some((alternative) =>
        alternative.kind === 'exists'
          ? alternative.present === values.length > 0
          : values.some((value) => matchesValue(alternative, value)),
      );
      return matched ? undefined : { path: formatPath(node.path), expected: node.expected, actual: values };
    }
    case 'object':
      return matchFields(node.fields, valuesAt(nodes, node.key, isRecord));
    case 'or': {
      let first: PatternMismatch | undefined;
      for (const branch of node.branches) {
        const mismatch = matchFields(branch, nodes);
        if (mismatch === undefined) return undefined;
        first ??= mismatch;
      }
      return first;
    }
  }
}

/**
 * What the objects `nodes` hold under `key`, with arrays (nested ones too) flattened into their
 * elements and only the kind `keep` selects.
 *
 * Because the objects of an array are pooled here and every leaf of the pattern then looks at the
 * whole pool, each leaf path is evaluated across all array elements independently, as EventBridge
 * does: `{"findings": {"Severity": {"Label": ["HIGH"]}, "Workflow": {"Status": ["NEW"]}}}` matches
 * when some finding is HIGH and some finding, not necessarily the same one, is NEW. That surprises
 * people who expect the conditions to hold for one element.
 */
function valuesAt<T>(nodes: readonly Readonly<Record<string, unknown>>[], key: string, keep: (value: unknown) => value is T): T[] {
  const out: T[] = [];
  for (const node of nodes) {
    if (!Object.hasOwn(node, key)) continue;
    // Iterative, so that deeply nested arrays in a large event cannot exhaust the stack.
    const pending: unknown[] = [node[key]];
    const seen = new Set<unknown>(); // events built in code may contain the same array twice, or a cycle
    while (pending.length > 0) {
      const value = pending.pop();
      if (Array.isArray(value)) {
        if (seen.has(value)) continue;
        seen.add(value);
        // Pushed last-first (and not spread, which overflows on huge arrays) so they pop in order.
        for (let i = value.length - 1; i >= 0; i--) pending.push(value[i]);
      } else if (keep(value)) {
        out.push(value);
      }
    }
  }
  return out;
}
