import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventPattern } from '../../src/triggers/event-pattern.js';
import { matchEventPattern, matchesEventPattern } from '../../src/triggers/event-pattern.js';

// Valid patterns covering every operator, nesting, arrays of objects and $or.
const PATTERNS: readonly EventPattern[] = [
  { source: ['aws.ec2', 'aws.fargate'], detail: { state: ['running', null, 5, true] } },
  { detail: { state: [{ prefix: 'a' }, { suffix: { 'equals-ignore-case': 'B' } }, { 'equals-ignore-case': 'x' }] } },
  { detail: { state: [{ wildcard: '*a*\\**' }, { 'anything-but': { wildcard: ['*b', 'c*'] } }] } },
  { detail: { state: [{ 'anything-but': ['a', 'b'] }], n: [{ 'anything-but': [1, 2] }] } },
  { detail: { state: [{ 'anything-but': { prefix: 'a' } }, { 'anything-but': { 'equals-ignore-case': ['A'] } }] } },
  { n: [{ numeric: ['>', 0, '<=', 5] }, { numeric: ['=', 3.018e2] }], detail: { n: [{ numeric: ['<', -1] }] } },
  { ip: [{ cidr: '10.0.0.0/8' }, { cidr: '2001:db8::/32' }], detail: { ip: [{ cidr: '0.0.0.0/0' }] } },
  { detail: { state: [{ exists: false }], n: [{ exists: true }] } },
  { detail: { findings: { Severity: { Label: ['HIGH'] }, Workflow: { Status: ['NEW'] } } } },
  { source: ['x'], $or: [{ detail: { state: ['a'] } }, { n: [1], $or: [{ ip: [{ exists: true }] }, { state: [{ prefix: '' }] }] }] },
  { detail: { findings: { $or: [{ Severity: { Label: ['HIGH'] } }, { Workflow: { Status: [{ 'anything-but': 'NEW' }] } }] } } },
];

const KEYS = ['source', 'detail', 'state', 'n', 'ip', 'findings', 'Severity', 'Label', 'Workflow', 'Status', '$or'];

// Events likely to reach the patterns' fields, with every kind of value (including non-JSON ones).
const eventLike = fc.oneof(
  fc.jsonValue(),
  fc.object({
    key: fc.constantFrom(...KEYS),
    maxDepth: 5,
    values: [
      fc.string(),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.ipV4(),
      fc.ipV6(),
      fc.constantFrom('a', 'A', 'HIGH', 'NEW'),
    ],
  }),
);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(scalarsOf);
  return isObject(value) ? [] : [value];
}

/** A pattern requiring exactly the event's own scalar values at every path, or undefined when it has none. */
function exactPatternOf(event: Record<string, unknown>): EventPattern | undefined {
  const entries: [string, unknown][] = [];
  for (const [key, value] of Object.entries(event)) {
    if (key === '$or') continue;
    const nested = isObject(value) ? exactPatternOf(value) : undefined;
    const leaves = scalarsOf(value);
    if (nested !== undefined) entries.push([key, nested]);
    else if (leaves.length > 0) entries.push([key, leaves]);
  }
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function wildcardOracle(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(value);
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

describe('matchEventPattern properties', () => {
  it('never throws on arbitrary events', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATTERNS), eventLike, (pattern, event) => {
        const result = matchEventPattern(pattern, event);
        expect(typeof result.matched).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('matches an event with a pattern built from its own leaf values', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (event) => {
        const pattern = exactPatternOf(event);
        fc.pre(pattern !== undefined);
        expect(matchEventPattern(pattern, event)).toEqual({ matched: true });
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same verdict from matchesEventPattern and matchEventPattern', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATTERNS), eventLike, (pattern, event) => {
        expect(matchesEventPattern(pattern, event)).toBe(matchEventPattern(pattern, event).matched);
      }),
    );
  });

  it('makes anything-but the complement of an exact match on present scalar values', () => {
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.constantFrom('a', 1));
    fc.assert(
      fc.property(scalar, fc.oneof(scalar, fc.boolean(), fc.constant(null)), (excluded, value) => {
        const event = { f: value };
        expect(matchesEventPattern({ f: [{ 'anything-but': excluded }] }, event)).toBe(!matchesEventPattern({ f: [excluded] }, event));
      }),
    );
  });

  it('makes $or the disjunction of its branches', () => {
    const branch = fc.constantFrom(...PATTERNS.slice(0, 9));
    fc.assert(
      fc.property(branch, branch, eventLike, (left, right, event) => {
        fc.pre(left !== right);
        const either = matchesEventPattern({ $or: [left, right] }, event);
        expect(either).toBe(matchesEventPattern(left, event) || matchesEventPattern(right, event));
      }),
    );
  });

  it('agrees with a regular-expression oracle on wildcards', () => {
    const wildcard = fc.string({ unit: fc.constantFrom('a', 'b', '*'), maxLength: 8 }).map((s) => s.replace(/\*+/g, '*'));
    fc.assert(
      fc.property(wildcard, fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 10 }), (pattern, value) => {
        expect(matchesEventPattern({ f: [{ wildcard: pattern }] }, { f: value })).toBe(wildcardOracle(pattern, value));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with integer arithmetic on IPv4 CIDR blocks', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 31 }), fc.ipV4(), (network, bits, address) => {
        const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        const inside = (ipv4ToInt(network) & mask) >>> 0 === (ipv4ToInt(address) & mask) >>> 0;
        expect(matchesEventPattern({ ip: [{ cidr: `${network}/${bits}` }] }, { ip: address })).toBe(inside);
      }),
    );
  });

  it('evaluates numeric ranges like the comparisons they spell', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(finite, finite, finite, (a, b, value) => {
        fc.pre(a < b);
        expect(matchesEventPattern({ n: [{ numeric: ['>', a, '<=', b] }] }, { n: value })).toBe(a < value && value <= b);
      }),
    );
  });
});
