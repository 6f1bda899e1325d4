/**
 * Validates an EventBridge event pattern and compiles it into a typed tree, collecting every problem
 * (with its path in the pattern) instead of stopping at the first, so one error message can list them all.
 */
import { formatPath } from '../validation.js';
import { checkOrCombinations } from './event-pattern-or.js';
import type { Comparison, NumericOperator, ValueMatcher } from './event-pattern-operators.js';
import { exact, isFiniteNumber, isRecord, NUMERIC_OPERATORS, parseCidr, parseWildcard, text, wildcard } from './event-pattern-operators.js';

/** A leaf alternative: a test on each value, or on whether the field has any value at all. */
export type Alternative = ValueMatcher | { readonly kind: 'exists'; readonly present: boolean };

export type PatternNode =
  | {
      readonly kind: 'leaf';
      readonly key: string;
      /** The event field's path from the root, for mismatch reports. */
      readonly path: readonly string[];
      /** The pattern's array as written, echoed back in mismatch reports. */
      readonly expected: readonly unknown[];
      readonly alternatives: readonly Alternative[];
    }
  | { readonly kind: 'object'; readonly key: string; readonly fields: CompiledPattern }
  | { readonly kind: 'or'; readonly branches: readonly CompiledPattern[] };

export type CompiledPattern = readonly PatternNode[];

export type CompileResult =
  | { readonly ok: true; readonly fields: CompiledPattern }
  | { readonly ok: false; readonly problems: readonly string[] };

type Location = readonly PropertyKey[];
export type Report = (at: Location, message: string) => void;

// Bounds the recursion of compiling and matching; EventBridge documents no limit, real patterns are shallow.
const MAX_DEPTH = 100;
const OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists', 'cidr'];
const ANYTHING_BUT_OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'];
// EventBridge reserves these (its operators plus a few it may add) as field names inside $or branches.
const RESERVED_IN_OR = new Set([
  ...OPERATORS,
  ...NUMERIC_OPERATORS,
  ...['exactly', 'regex', 'not-wildcard', 'not-equals-ignore-case', 'ip-address-in-range', 'ip-address-not-in-range'],
  ...['date-after', 'date-on-or-after', 'date-before', 'date-on-or-before', 'in-date-range'],
]);

/** Compiles `pattern`, or lists every reason EventBridge would reject it. */
export function compileEventPattern(pattern: unknown): CompileResult {
  const problems: string[] = [];
  const report: Report = (at, message) => problems.push(`${formatPath(at)}: ${message}`);
  if (!isRecord(pattern)) {
    report([], `an event pattern must be a JSON object, not ${describe(pattern)}`);
    return { ok: false, problems };
  }
  const fields = compileObject(pattern, { at: [], path: [], insideOr: false, depth: 0, report });
  if (problems.length === 0) checkOrCombinations(fields, report);
  return problems.length === 0 ? { ok: true, fields } : { ok: false, problems };
}

interface Context {
  /** Where we are in the pattern, including `$or` and array indices. */
  readonly at: Location;
  /** Where we are in the event: field names only. */
  readonly path: readonly string[];
  readonly insideOr: boolean;
  readonly depth: number;
  readonly report: Report;
}

function compileObject(object: Readonly<Record<string, unknown>>, ctx: Context): PatternNode[] {
  const entries = Object.entries(object);
  if (entries.length === 0) ctx.report(ctx.at, 'empty objects are not allowed; leave the field out instead');
  if (ctx.depth > MAX_DEPTH) {
    ctx.report(ctx.at, `the pattern is nested more than ${MAX_DEPTH} levels deep`);
    return [];
  }
  const nodes: PatternNode[] = [];
  for (const [key, value] of entries) {
    const at = [...ctx.at, key];
    if (key === '$or') {
      const branches = compileOr(value, { ...ctx, at });
      if (branches !== undefined) nodes.push({ kind: 'or', branches });
    } else if (ctx.insideOr && RESERVED_IN_OR.has(key)) {
      ctx.report(at, `"${key}" is an operator name, which EventBridge does not accept as a field name inside $or`);
    } else if (Array.isArray(value)) {
      const alternatives = compileLeaf(value, { ...ctx, at });
      nodes.push({ kind: 'leaf', key, path: [...ctx.path, key], expected: value, alternatives });
    } else if (isRecord(value)) {
      const fields = compileObject(value, { ...ctx, at, path: [...ctx.path, key], depth: ctx.depth + 1 });
      nodes.push({ kind: 'object', key, fields });
    } else {
      ctx.report(at, `must be an array of values to match or a nested object, not ${describe(value)}`);
    }
  }
  return nodes;
}

function compileOr(value: unknown, ctx: Context): CompiledPattern[] | undefined {
  if (!Array.isArray(value) || value.length < 2) {
    ctx.report(ctx.at, `must be an array of at least 2 objects (sub-patterns), not ${describe(value)}`);
    return undefined;
  }
  return value.map((branch: unknown, i) => {
    const at = [...ctx.at, i];
    if (isRecord(branch)) return compileObject(branch, { ...ctx, at, insideOr: true, depth: ctx.depth + 1 });
    ctx.report(at, `each $or alternative must be an object (a sub-pattern), not ${describe(branch)}`);
    return [];
  });
}

function compileLeaf(values: readonly unknown[], ctx: Context): Alternative[] {
  if (values.length === 0) ctx.report(ctx.at, 'must list at least one value to match (empty arrays are not allowed)');
  const alternatives: Alternative[] = [];
  values.forEach((value: unknown, i) => {
    const at = [...ctx.at, i];
    if (isRecord(value)) {
      const alternative = compileOperator(value, at, ctx.report);
      if (alternative !== undefined) alternatives.push(alternative);
    } else if (isLiteral(value)) {
      alternatives.push(exact(value, true));
    } else {
      const hint = Array.isArray(value) ? '; list the alternatives directly in the outer array' : '';
      ctx.report(at, `must be a string, number, boolean, null or operator object, not ${describe(value)}${hint}`);
    }
  });
  return alternatives;
}

function compileOperator(expression: Readonly<Record<string, unknown>>, at: Location, report: Report): Alternative | undefined {
  const names = Object.keys(expression);
  const [name = ''] = names;
  if (names.length !== 1) {
    report(at, `an operator object takes exactly one operator, found ${names.length === 0 ? 'none' : names.join(', ')}`);
    return undefined;
  }
  const operand = expression[name];
  const opAt = [...at, name];
  switch (name) {
    case 'prefix':
    case 'suffix':
      return compileAffix(name === 'prefix' ? 'start' : 'end', operand, opAt, report);
    case 'equals-ignore-case':
      if (typeof operand === 'string') return text('whole', operand, true);
      report(opAt, `must be a string, not ${describe(operand)}`);
      return undefined;
    case 'wildcard':
      return compileWildcard(operand, opAt, report);
    case 'anything-but':
      return compileAnythingBut(operand, opAt, report);
    case 'numeric':
      return compileNumeric(operand, opAt, report);
    case 'exists':
      if (typeof operand === 'boolean') return { kind: 'exists', present: operand };
      report(opAt, `must be true or false, not ${describe(operand)}`);
      return undefined;
    case 'cidr':
      return compileCidr(operand, opAt, report);
    default:
      report(at, `unknown operator "${name}"; EventBridge supports ${OPERATORS.join(', ')}`);
      return undefined;
  }
}

function compileAffix(anchor: 'start' | 'end', operand: unknown, at: Location, report: Report): ValueMatcher | undefined {
  if (typeof operand === 'string') return text(anchor, operand, false);
  const inner = isRecord(operand) ? Object.keys(operand) : [];
  if (isRecord(operand) && inner.length === 1 && typeof operand['equals-ignore-case'] === 'string') {
    return text(anchor, operand['equals-ignore-case'], true);
  }
  report(at, `must be a string or { "equals-ignore-case": "<string>" }, not ${describe(operand)}`);
  return undefined;
}

function compileWildcard(operand: unknown, at: Location, report: Report): ValueMatcher | undefined {
  if (typeof operand !== 'string') {
    report(at, `must be a string, not ${describe(operand)}`);
    return undefined;
  }
  const parsed = parseWildcard(operand);
  if ('problem' in parsed) report(at, parsed.problem);
  return 'segments' in parsed ? wildcard(parsed.segments) : undefined;
}

function compileAnythingBut(operand: unknown, at: Location, report: Report): ValueMatcher | undefined {
  if (isRecord(operand)) return compileAnythingButOperator(operand, at, report);
  const values: readonly unknown[] = Array.isArray(operand) ? operand : [operand];
  const strings = values.filter((value) => typeof value === 'string');
  const numbers = values.filter(isFiniteNumber);
  const literals = strings.length === values.length ? strings : numbers.length === values.length ? numbers : [];
  if (literals.length > 0) return { kind: 'anything-but', excluded: literals.map((value) => exact(value)) };
  const got = !Array.isArray(operand) ? describe(operand) : values.length === 0 ? 'an empty list' : 'a list of mixed or other types';
  const shapes = `a string, a number, a non-empty list of only strings or only numbers, or { ${ANYTHING_BUT_OPERATORS.join(' | ')} }`;
  report(at, `must be ${shapes}; got ${got}`);
  return undefined;
}

function compileAnythingButOperator(operand: Readonly<Record<string, unknown>>, at: Location, report: Report): ValueMatcher | undefined {
  const names = Object.keys(operand);
  const [name = ''] = names;
  if (names.length !== 1 || !ANYTHING_BUT_OPERATORS.includes(name)) {
    const found = names.length === 0 ? 'none' : names.join(', ');
    report(at, `takes exactly one of ${ANYTHING_BUT_OPERATORS.join(', ')}, found ${found}`);
    return undefined;
  }
  const opAt = [...at, name];
  const raw = operand[name];
  const values: readonly unknown[] = Array.isArray(raw) ? raw : [raw];
  const strings = values.filter((value) => typeof value === 'string');
  if (strings.length === 0 || strings.length !== values.length) {
    report(opAt, `must be a string or a non-empty list of strings, not ${describe(raw)}`);
    return undefined;
  }
  const excluded: ValueMatcher[] = [];
  for (const value of strings) {
    if (name === 'wildcard') {
      const matcher = compileWildcard(value, opAt, report);
      if (matcher !== undefined) excluded.push(matcher);
    } else if ((name === 'prefix' || name === 'suffix') && value === '') {
      report(opAt, `an empty ${name} would exclude every string; EventBridge rejects it`);
    } else {
      const anchor = name === 'prefix' ? 'start' : name === 'suffix' ? 'end' : 'whole';
      excluded.push(text(anchor, value, name === 'equals-ignore-case'));
    }
  }
  return { kind: 'anything-but', excluded };
}

const RANGE_SHAPE = 'takes [op, number] with op one of =, <, <=, >, >=, or a range such as [">", 0, "<=", 5]';

function compileNumeric(operand: unknown, at: Location, report: Report): ValueMatcher | undefined {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    report(at, `${RANGE_SHAPE}, not ${describe(operand)}`);
    return undefined;
  }
  const terms: readonly unknown[] = operand;
  const comparisons: Comparison[] = [];
  for (let i = 0; i < terms.length; i += 2) {
    const allowed: readonly NumericOperator[] = i === 0 ? NUMERIC_OPERATORS : ['<', '<='];
    const op = allowed.find((candidate) => candidate === terms[i]);
    const bound = terms[i + 1];
    if (op === undefined) {
      report([...at, i], `${describe(terms[i])} is not allowed here; use one of ${allowed.join(', ')}`);
    } else if (!isFiniteNumber(bound)) {
      report([...at, i + 1], `must be a number, not ${describe(bound)}`);
    } else {
      comparisons.push({ op, operand: bound });
    }
  }
  const [lower, upper] = comparisons;
  if (terms.length === 4 && lower !== undefined && lower.op !== '>' && lower.op !== '>=') {
    report([...at, 0], `a range must start with > or >=, not "${lower.op}"`);
  } else if (lower !== undefined && upper !== undefined && lower.operand >= upper.operand) {
    report(at, 'the lower bound of a range must be less than its upper bound');
  }
  return comparisons.length * 2 === terms.length ? { kind: 'numeric', comparisons } : undefined;
}

function compileCidr(operand: unknown, at: Location, report: Report): ValueMatcher | undefined {
  if (typeof operand !== 'string') {
    report(at, `must be a CIDR block string such as "10.0.0.0/24", not ${describe(operand)}`);
    return undefined;
  }
  const parsed = parseCidr(operand);
  if ('problem' in parsed) {
    report(at, parsed.problem);
    return undefined;
  }
  return { kind: 'cidr', ...parsed };
}

function isLiteral(value: unknown): value is string | number | boolean | null {
  return typeof value === 'string' || typeof value === 'boolean' || value === null || isFiniteNumber(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined || typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of length ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
