import { describe, expect, it } from 'vitest';
import { CloudmendError, isUserFacing } from '../../src/errors.js';
import type { EventPattern } from '../../src/triggers/event-pattern.js';
import { InvalidPatternError, matchEventPattern, validateEventPattern } from '../../src/triggers/event-pattern.js';

/** The message's problem lines, without the header. */
function problemsOf(pattern: unknown): string[] {
  try {
    validateEventPattern(pattern);
  } catch (error) {
    if (error instanceof InvalidPatternError)
      return error.message
        .split('\n')
        .slice(1)
        .map((line) => line.replace(/^ {2}- /, ''));
    throw error;
  }
  return [];
}

describe('validateEventPattern', () => {
  it.each<[string, EventPattern]>([
    ['exact values of every JSON type', { a: ['x', 1, -2.5e3, true, false, null, ''] }],
    ['nested objects', { detail: { findings: { Severity: { Label: ['HIGH'] } } } }],
    [
      'prefix and suffix, plain and ignoring case',
      { a: [{ prefix: '' }, { suffix: 'x' }, { prefix: { 'equals-ignore-case': 'X' } }, { suffix: { 'equals-ignore-case': 'y' } }] },
    ],
    ['equals-ignore-case and wildcard', { a: [{ 'equals-ignore-case': 'x' }, { wildcard: 'a*b\\*c\\\\' }, { wildcard: '*' }] }],
    [
      'anything-but in every documented form',
      {
        a: [{ 'anything-but': 'x' }, { 'anything-but': 1 }, { 'anything-but': ['x', 'y'] }, { 'anything-but': [1, 2] }],
        b: [
          { 'anything-but': { prefix: 'x' } },
          { 'anything-but': { suffix: ['x', 'y'] } },
          { 'anything-but': { 'equals-ignore-case': ['x'] } },
        ],
        c: [{ 'anything-but': { wildcard: '*/lib/*' } }, { 'anything-but': { wildcard: ['a*', 'b*'] } }],
      },
    ],
    [
      'numeric comparisons and ranges',
      { a: [{ numeric: ['=', 3.018e2] }, { numeric: ['<', 10] }, { numeric: ['>', 0, '<=', 5] }, { numeric: ['>=', -1, '<', 1] }] },
    ],
    [
      'exists both ways and cidr in both families',
      { a: [{ exists: true }], b: [{ exists: false }], c: [{ cidr: '10.0.0.0/24' }, { cidr: '2001:db8::/32' }] },
    ],
    [
      '$or at the top and nested',
      { source: ['x'], $or: [{ a: ['1'] }, { b: ['2'], $or: [{ c: ['3'] }, { d: ['4'] }] }], detail: { $or: [{ e: [1] }, { f: [2] }] } },
    ],
  ])('accepts %s', (_what, pattern) => {
    expect(problemsOf(pattern)).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['a non-object pattern', ['source'], '(root): an event pattern must be a JSON object, not an array of length 1'],
    ['null', null, '(root): an event pattern must be a JSON object, not null'],
    ['an empty pattern', {}, '(root): empty objects are not allowed'],
    ['an empty nested object', { detail: {} }, 'detail: empty objects are not allowed'],
    [
      'a bare value instead of an array',
      { source: 'aws.ec2' },
      'source: must be an array of values to match or a nested object, not "aws.ec2"',
    ],
    ['an empty leaf array', { detail: { state: [] } }, 'detail.state: must list at least one value to match'],
    [
      'a nested array in a leaf',
      { a: [['x']] },
      'a[0]: must be a string, number, boolean, null or operator object, not an array of length 1',
    ],
    [
      'a non-finite number',
      { a: [Number.POSITIVE_INFINITY] },
      'a[0]: must be a string, number, boolean, null or operator object, not Infinity',
    ],
    ['an unknown operator', { a: [{ contains: 'x' }] }, 'a[0]: unknown operator "contains"; EventBridge supports prefix, suffix'],
    [
      'two operators in one object',
      { a: [{ prefix: 'x', suffix: 'y' }] },
      'a[0]: an operator object takes exactly one operator, found prefix, suffix',
    ],
    ['an empty operator object', { a: [{}] }, 'a[0]: an operator object takes exactly one operator, found none'],
    ['a non-string prefix', { a: [{ prefix: 5 }] }, 'a[0].prefix: must be a string or { "equals-ignore-case": "<string>" }, not 5'],
    [
      'an unsupported nested prefix operator',
      { a: [{ prefix: { wildcard: 'x' } }] },
      'a[0].prefix: must be a string or { "equals-ignore-case"',
    ],
    [
      'a non-string equals-ignore-case',
      { a: [{ 'equals-ignore-case': ['x'] }] },
      'a[0].equals-ignore-case: must be a string, not an array of length 1',
    ],
    ['consecutive wildcards', { a: [{ wildcard: 'a**b' }] }, 'a[0].wildcard: consecutive "*" are not allowed (position 1)'],
    ['a bad wildcard escape', { a: [{ wildcard: 'a\\b' }] }, 'a[0].wildcard: a backslash may only escape "*" or "\\" (position 1)'],
    ['a trailing wildcard backslash', { a: [{ wildcard: 'a\\' }] }, 'a[0].wildcard: a backslash may only escape'],
    [
      'a mixed anything-but list',
      { a: [{ 'anything-but': ['x', 1] }] },
      'a[0].anything-but: must be a string, a number, a non-empty list of only strings or only numbers',
    ],
    ['an empty anything-but list', { a: [{ 'anything-but': [] }] }, 'got an empty list'],
    ['anything-but null', { a: [{ 'anything-but': null }] }, 'a[0].anything-but: must be a string, a number'],
    [
      'anything-but with an unsupported operator',
      { a: [{ 'anything-but': { numeric: ['>', 1] } }] },
      'a[0].anything-but: takes exactly one of prefix, suffix, equals-ignore-case, wildcard, found numeric',
    ],
    [
      'anything-but with an empty prefix',
      { a: [{ 'anything-but': { prefix: '' } }] },
      'a[0].anything-but.prefix: an empty prefix would exclude every string',
    ],
    [
      'anything-but suffix with a number',
      { a: [{ 'anything-but': { suffix: [1] } }] },
      'a[0].anything-but.suffix: must be a string or a non-empty list of strings',
    ],
    [
      'anything-but with a bad wildcard',
      { a: [{ 'anything-but': { wildcard: ['ok*', 'a**'] } }] },
      'a[0].anything-but.wildcard: consecutive "*"',
    ],
    ['numeric that is not an array', { a: [{ numeric: 5 }] }, 'a[0].numeric: takes [op, number]'],
    ['numeric with three terms', { a: [{ numeric: ['>', 1, '<'] }] }, 'a[0].numeric: takes [op, number]'],
    [
      'an unknown numeric operator',
      { a: [{ numeric: ['!=', 1] }] },
      'a[0].numeric[0]: "!=" is not allowed here; use one of =, <, <=, >, >=',
    ],
    ['a non-numeric operand', { a: [{ numeric: ['>', '1'] }] }, 'a[0].numeric[1]: must be a number, not "1"'],
    ['a range opening with <', { a: [{ numeric: ['<', 5, '<', 6] }] }, 'a[0].numeric[0]: a range must start with > or >=, not "<"'],
    ['a range closing with >', { a: [{ numeric: ['>', 5, '>', 6] }] }, 'a[0].numeric[2]: ">" is not allowed here; use one of <, <='],
    [
      'an empty range',
      { a: [{ numeric: ['>', 5, '<=', 5] }] },
      'a[0].numeric: the lower bound of a range must be less than its upper bound',
    ],
    ['a non-boolean exists', { a: [{ exists: 'true' }] }, 'a[0].exists: must be true or false, not "true"'],
    ['a cidr without a mask', { a: [{ cidr: '10.0.0.0' }] }, 'a[0].cidr: a CIDR block needs exactly one "/"'],
    ['a cidr with a bad address', { a: [{ cidr: '10.0.0.300/8' }] }, 'a[0].cidr: "10.0.0.300" is not an IPv4 or IPv6 address'],
    ['a cidr with a bad mask', { a: [{ cidr: '10.0.0.0/x' }] }, 'a[0].cidr: the mask "x" is not a whole number of bits'],
    ['a /32 IPv4 block', { a: [{ cidr: '10.0.0.1/32' }] }, 'a[0].cidr: the mask must be at most 31 bits here'],
    ['a /128 IPv6 block', { a: [{ cidr: '::1/128' }] }, 'a[0].cidr: the mask must be at most 127 bits here'],
    ['$or that is not an array', { $or: { a: ['x'] } }, '$or: must be an array of at least 2 objects (sub-patterns), not an object'],
    [
      '$or with one branch',
      { $or: [{ a: ['x'] }] },
      '$or: must be an array of at least 2 objects (sub-patterns), not an array of length 1',
    ],
    ['$or with a non-object branch', { $or: [{ a: ['x'] }, ['b']] }, '$or[1]: each $or alternative must be an object'],
    ['$or with an empty branch', { $or: [{ a: ['x'] }, {}] }, '$or[1]: empty objects are not allowed'],
    ['an operator name as a field inside $or', { $or: [{ numeric: [1] }, { b: ['x'] }] }, '$or[0].numeric: "numeric" is an operator name'],
    [
      'a field constrained inside and outside $or',
      { a: ['1'], $or: [{ a: ['2'] }, { b: ['3'] }] },
      'a: is constrained both inside and outside an $or',
    ],
    [
      'a nested field constrained in combined $ors',
      { $or: [{ d: { x: [1] } }, { y: [1] }], d: { $or: [{ x: [2] }, { z: [2] }] } },
      'd.x: is constrained both inside and outside an $or',
    ],
  ])('rejects %s', (_what, pattern, problem) => {
    expect(problemsOf(pattern)).toEqual([expect.stringContaining(problem)]);
  });

  it('rejects $or combinations beyond 1000', () => {
    const or = (n: number) => ({ $or: Array.from({ length: 10 }, (_, i) => ({ [`f${n}_${i}`]: [i] })) });
    const pattern = { a: or(1), b: or(2), c: or(3), d: or(4) };
    expect(problemsOf(pattern)).toEqual(['(root): the $or branches combine into more than 1000 alternatives; simplify the pattern']);
    expect(problemsOf({ a: or(1), b: or(2), c: or(3) })).toEqual([]);
  });

  it('rejects patterns nested absurdly deep', () => {
    let pattern: Record<string, unknown> = { leaf: ['x'] };
    for (let i = 0; i < 150; i++) pattern = { down: pattern };
    expect(problemsOf(pattern)).toEqual([expect.stringMatching(/^down(\.down)+: the pattern is nested more than 100 levels deep$/)]);
  });

  it('lists every problem in one user-facing error', () => {
    const pattern = { source: 'aws.ec2', detail: { state: [], count: [{ numeric: ['>', 'x'] }] }, $or: [{ a: ['x'] }] };
    let caught: unknown;
    try {
      validateEventPattern(pattern);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidPatternError);
    expect(caught).toBeInstanceOf(CloudmendError);
    expect(isUserFacing(caught)).toBe(true);
    expect(caught).toMatchObject({
      name: 'InvalidPatternError',
      message: [
        'Invalid EventBridge event pattern (4 problems):',
        '  - source: must be an array of values to match or a nested object, not "aws.ec2"',
        '  - detail.state: must list at least one value to match (empty arrays are not allowed)',
        '  - detail.count[0].numeric[1]: must be a number, not "x"',
        '  - $or: must be an array of at least 2 objects (sub-patterns), not an array of length 1',
      ].join('\n'),
    });
  });

  it('narrows unknown input to EventPattern', () => {
    const parsed: unknown = JSON.parse('{"source":["aws.ec2"]}');
    validateEventPattern(parsed);
    expect(matchEventPattern(parsed, { source: 'aws.ec2' })).toEqual({ matched: true });
  });

  it('makes matchEventPattern refuse an invalid pattern instead of guessing', () => {
    expect(() => matchEventPattern({ a: [{ 'anything-but': {} }] }, { a: 'x' })).toThrow(InvalidPatternError);
  });
});
