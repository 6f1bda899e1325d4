/**
 * Declared values as far as they can be read statically: JSON where the code is literal, and
 * `Unknown` leaves where it is not (a variable, `!Ref Param`, a resource attribute known only
 * after apply). An unknown leaf matches any live value, optionally constrained by a pattern built
 * from what is known around it (`arn:${partition}:iam::aws:policy/ReadOnlyAccess`). This is what
 * keeps the comparator from ever reporting a difference it cannot prove.
 */

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** A value cloudmend cannot resolve; `source` says what the code wrote, for the report. */
export class Unknown {
  constructor(
    readonly source: string,
    /** When the value is a string of a known shape (an ARN around an unresolved name). */
    readonly pattern?: RegExp,
  ) {}

  /** Reports show unknown leaves as text, never as an empty object. */
  toJSON(): string {
    return `(unknown: ${this.source})`;
  }
}

export type Partial = null | boolean | number | string | Unknown | readonly Partial[] | { readonly [key: string]: Partial };
export type PObject = { readonly [key: string]: Partial };

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

export function isObject(value: unknown): value is PObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

/** `Array.isArray` that keeps the element type (it widens readonly arrays to `any[]`). */
export function isList(value: Partial | undefined): value is readonly Partial[] {
  return Array.isArray(value);
}

/** A value as short text for labels: strings as they are, anything else as JSON. */
export function textOf(value: Partial | undefined): string {
  if (value instanceof Unknown) return `(${value.source})`;
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
}

/** `value` as a piece of a joined string: scalars as text, unknown leaves as they are, anything else unknown as `source`. */
export function stringPart(value: unknown, source: string): string | Unknown {
  if (typeof value === 'string' || isUnknown(value)) return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : new Unknown(source);
}

/** True when `value` holds an unknown leaf anywhere. */
export function hasUnknown(value: Partial | undefined): boolean {
  if (value instanceof Unknown) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (isObject(value)) return Object.values(value).some(hasUnknown);
  return false;
}

/** `value` as JSON when it holds no unknown leaf. */
export function known(value: Partial | undefined): Json | undefined {
  return value === undefined || hasUnknown(value) ? undefined : (value as Json);
}

/** JSON text with object keys sorted: the identity of a canonical value. */
export function stableKey(value: Partial | undefined): string {
  if (value === undefined) return 'undefined';
  if (value instanceof Unknown) return JSON.stringify(value.toJSON());
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableKey(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The child at `path`, where keys of objects match case-insensitively (Config writes
 * `dBInstanceClass` and `dbinstanceClass` for the same field in different eras). An unknown
 * parent makes the child unknown; a missing one makes it undefined.
 */
export function pick(value: Partial | undefined, ...path: readonly (string | number)[]): Partial | undefined {
  let current: Partial | undefined = value;
  for (const key of path) {
    if (current === undefined || current === null) return undefined;
    if (current instanceof Unknown) return current;
    if (typeof key === 'number') {
      current = Array.isArray(current) ? (current as readonly Partial[])[key] : undefined;
      continue;
    }
    if (!isObject(current)) return undefined;
    if (Object.hasOwn(current, key)) {
      current = current[key];
      continue;
    }
    const lower = key.toLowerCase();
    const match = Object.keys(current).find((k) => k.toLowerCase() === lower);
    current = match === undefined ? undefined : current[match];
  }
  return current;
}

/** Elements of a list value; a single value counts as a list of one (IAM writes both). */
export function listOf(value: Partial | undefined): readonly Partial[] | Unknown | undefined {
  if (value === undefined || value === null) return undefined;
  // An unknown with a pattern is a string of known shape, so one element; a bare unknown may be a whole list.
  if (value instanceof Unknown) return value.pattern ? [value] : value;
  return Array.isArray(value) ? (value as readonly Partial[]) : [value];
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A string made of known text and unknown parts: the text itself when every part is known,
 * otherwise an unknown whose pattern keeps the known text (and the parts' own patterns).
 */
export function concat(parts: readonly (string | Unknown)[], source: string): string | Unknown {
  if (parts.every((p) => typeof p === 'string')) return parts.join('');
  const body = parts
    .map((p) => (typeof p === 'string' ? escapeRegex(p) : p.pattern ? p.pattern.source.replace(/^\^|\$$/g, '') : '.*'))
    .join('');
  return new Unknown(source, new RegExp(`^${body}$`, 's'));
}

function listMatches(pattern: readonly Partial[], live: readonly Partial[]): boolean {
  if (!pattern.some(hasUnknown)) return pattern.length === live.length && pattern.every((p, i) => matches(p, live[i]));
  // With unknown elements the count is unknown too: every element on each side needs a partner.
  return pattern.every((p) => live.some((l) => matches(p, l))) && live.every((l) => pattern.some((p) => matches(p, l)));
}

/**
 * True when the live value could be what the code declares: equal where the declaration is known,
 * anything (or anything fitting the pattern) where it is not. Lists compare in order; callers
 * canonicalize (sort) lists whose order does not matter first.
 */
export function matches(pattern: Partial | undefined, live: Partial | undefined): boolean {
  if (pattern instanceof Unknown) return pattern.pattern ? typeof live === 'string' && pattern.pattern.test(live) : true;
  if (pattern === undefined || pattern === null || live === undefined || live === null) return (pattern ?? null) === (live ?? null);
  if (Array.isArray(pattern)) return Array.isArray(live) && listMatches(pattern as readonly Partial[], live as readonly Partial[]);
  if (isObject(pattern)) {
    if (!isObject(live)) return false;
    const keys = new Set([...Object.keys(pattern), ...Object.keys(live)]);
    for (const key of keys) {
      const p = pattern[key];
      // An unknown value may evaluate to null, which removes the key.
      if (p instanceof Unknown && !p.pattern && live[key] === undefined) continue;
      if (!matches(p, live[key])) return false;
    }
    return true;
  }
  return pattern === live;
}
