/**
 * The value-level half of EventBridge pattern matching: compiled operators and how each one tests a
 * single JSON scalar from an event. Which values reach these tests (arrays, nesting, presence) is
 * decided in `event-pattern.ts`.
 */

/** The only event values EventBridge compares; objects and arrays are structure, not values. */
export type Scalar = string | number | boolean | null;

export const NUMERIC_OPERATORS = ['=', '<', '<=', '>', '>='] as const;
export type NumericOperator = (typeof NUMERIC_OPERATORS)[number];

export interface Comparison {
  readonly op: NumericOperator;
  readonly operand: number;
}

/** One compiled alternative of a pattern leaf, tested against one event value. */
export type ValueMatcher =
  /** A literal. `ip` is set when a string literal is an IP address, which EventBridge compares by address. */
  | { readonly kind: 'exact'; readonly value: Scalar; readonly ip: Uint8Array | undefined }
  /** prefix, suffix and equals-ignore-case; `value` is already lower-cased when `ignoreCase`. */
  | { readonly kind: 'text'; readonly anchor: 'whole' | 'start' | 'end'; readonly value: string; readonly ignoreCase: boolean }
  /** A wildcard with at least one `*`: the literal text before the first, between each, and after the last. */
  | { readonly kind: 'wildcard'; readonly head: string; readonly middle: readonly string[]; readonly tail: string }
  | { readonly kind: 'numeric'; readonly comparisons: readonly Comparison[] }
  | { readonly kind: 'cidr'; readonly network: Uint8Array; readonly bits: number }
  | { readonly kind: 'anything-but'; readonly excluded: readonly ValueMatcher[] };

/** A JSON string, number, boolean or null. */
export function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number JSON can carry: not NaN or an infinity. */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** True when the event value `value` satisfies `matcher`. */
export function matchesValue(matcher: ValueMatcher, value: Scalar): boolean {
  switch (matcher.kind) {
    case 'exact':
      return matchesExact(matcher.value, matcher.ip, value);
    case 'text':
      return typeof value === 'string' && matchesText(matcher, value);
    case 'wildcard':
      return typeof value === 'string' && matchesWildcard(matcher, value);
    case 'numeric':
      return typeof value === 'number' && matcher.comparisons.every((c) => compare(value, c));
    case 'cidr':
      return typeof value === 'string' && inNetwork(value, matcher.network, matcher.bits);
    case 'anything-but':
      // Only the excluded values fail, whatever their type: EventBridge lets `{"anything-but": ["a"]}`
      // match null, numbers and booleans, and `{"anything-but": {"prefix": "a"}}` match numbers.
      return !matcher.excluded.some((excluded) => matchesValue(excluded, value));
  }
}

/** A literal matcher; pass `ipAware` for plain leaf strings, the only place EventBridge normalizes addresses. */
export function exact(value: Scalar, ipAware = false): ValueMatcher {
  return { kind: 'exact', value, ip: ipAware && typeof value === 'string' ? parseIp(value) : undefined };
}

/** A prefix (`start`), suffix (`end`) or whole-string matcher, optionally ignoring case. */
export function text(anchor: 'whole' | 'start' | 'end', value: string, ignoreCase: boolean): ValueMatcher {
  return { kind: 'text', anchor, value: ignoreCase ? value.toLowerCase() : value, ignoreCase };
}

/** Compiles a validated wildcard; one without `*` is plain string equality. */
export function wildcard(segments: readonly string[]): ValueMatcher {
  const [head = '', ...rest] = segments;
  const tail = rest.pop();
  return tail === undefined ? exact(head) : { kind: 'wildcard', head, middle: rest, tail };
}

function matchesExact(expected: Scalar, ip: Uint8Array | undefined, value: Scalar): boolean {
  if (expected === value) return true; // numbers compare numerically: 300 and 300.0 are the same JS number
  if (ip === undefined || typeof value !== 'string') return false;
  const address = parseIp(value);
  return address !== undefined && address.length === ip.length && address.every((byte, i) => byte === ip[i]);
}

function matchesText(matcher: Extract<ValueMatcher, { kind: 'text' }>, value: string): boolean {
  const subject = matcher.ignoreCase ? value.toLowerCase() : value;
  if (matcher.anchor === 'start') return subject.startsWith(matcher.value);
  if (matcher.anchor === 'end') return subject.endsWith(matcher.value);
  return subject === matcher.value;
}

// Placing each literal between stars at its leftmost fit is always safe for `*`-only globs, so one
// left-to-right scan decides, where a backtracking regex could blow up on a hostile pattern and value.
function matchesWildcard(matcher: Extract<ValueMatcher, { kind: 'wildcard' }>, value: string): boolean {
  const { head, middle, tail } = matcher;
  if (value.length < head.length + tail.length || !value.startsWith(head) || !value.endsWith(tail)) return false;
  const end = value.length - tail.length;
  let at = head.length;
  for (const literal of middle) {
    const found = value.indexOf(literal, at);
    if (found < 0 || found + literal.length > end) return false;
    at = found + literal.length;
  }
  return true;
}

function compare(value: number, { op, operand }: Comparison): boolean {
  switch (op) {
    case '=':
      return value === operand;
    case '<':
      return value < operand;
    case '<=':
      return value <= operand;
    case '>':
      return value > operand;
    case '>=':
      return value >= operand;
  }
}

/** Splits a wildcard operand on its unescaped `*`, or says why EventBridge would reject it. */
export function parseWildcard(pattern: string): { readonly segments: readonly string[] } | { readonly problem: string } {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    const next = pattern.charAt(i + 1);
    if (char === '\\') {
      if (next !== '*' && next !== '\\') return { problem: `a backslash may only escape "*" or "\\" (position ${i})` };
      current += next;
      i++;
    } else if (char === '*') {
      if (next === '*') return { problem: `consecutive "*" are not allowed (position ${i})` };
      segments.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  segments.push(current);
  return { segments };
}

/** Parses `address/bits` into the network's bytes, or says why EventBridge would reject it. */
export function parseCidr(cidr: string): { readonly network: Uint8Array; readonly bits: number } | { readonly problem: string } {
  const parts = cidr.split('/');
  const [address = '', bitsText = ''] = parts;
  if (parts.length !== 2) return { problem: 'a CIDR block needs exactly one "/", as in "10.0.0.0/24"' };
  if (!/^\d{1,3}$/.test(bitsText)) return { problem: `the mask "${bitsText}" is not a whole number of bits` };
  const network = parseIp(address);
  if (network === undefined) return { problem: `"${address}" is not an IPv4 or IPv6 address` };
  const bits = Number(bitsText);
  // EventBridge refuses whole-address masks (/32, /128); a single address is matched with a plain string.
  const maxBits = network.length * 8 - 1;
  if (bits > maxBits) return { problem: `the mask must be at most ${maxBits} bits here; match one address with a plain string` };
  return { network, bits };
}

function inNetwork(value: string, network: Uint8Array, bits: number): boolean {
  const address = parseIp(value);
  if (address?.length !== network.length) return false;
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (address[i] !== network[i]) return false;
  // Masks stop short of the full width (see parseCidr), so a partial byte always follows.
  const mask = (0xff << (8 - (bits & 7))) & 0xff;
  return ((address[whole] ?? 0) & mask) === ((network[whole] ?? 0) & mask);
}

/** 4 bytes for a dotted-quad IPv4 address, 16 for a hex IPv6 one, undefined for anything else. */
export function parseIp(text: string): Uint8Array | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

function parseIpv4(text: string): Uint8Array | undefined {
  const octets = text.split('.');
  if (octets.length !== 4 || !octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255)) return undefined;
  return Uint8Array.from(octets, Number);
}

// Embedded IPv4 (`::ffff:1.2.3.4`) is left out, as in EventBridge, which only reads hex groups.
function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string | undefined) => (half === undefined || half === '' ? [] : half.split(':'));
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  if (!groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return Uint8Array.from(groups.flatMap((group) => [Number.parseInt(group, 16) >> 8, Number.parseInt(group, 16) & 0xff]));
}
