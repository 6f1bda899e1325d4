/** The policy document normalizer: properties over arbitrary documents (fast-check), and the cases that motivated them. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matches, stableKey, Unknown, type Json, type Partial } from '../../src/drift/partial.js';
import { normalizePolicy, statementWeakens, type NormalPolicy } from '../../src/drift/policy.js';
import { encodePolicy } from './support.js';

interface Statement {
  Sid?: string | undefined;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string[]>> | undefined;
}

const action = fc.constantFrom<string>(
  's3:GetObject',
  's3:PutObject',
  's3:ListBucket',
  'kms:Decrypt',
  'sts:AssumeRole',
  'iam:PassRole',
  'ec2:*',
);
const resource = fc.constantFrom<string>(
  '*',
  'arn:aws:s3:::acme-logs',
  'arn:aws:s3:::acme-logs/*',
  'arn:aws:kms:eu-west-1:111122223333:key/1234',
);
const principal = fc.option(
  fc.constantFrom<unknown>(
    '*',
    { Service: ['lambda.amazonaws.com'] },
    { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:role/ci'] },
  ),
  { nil: undefined },
);
const condition = fc.option(
  fc.record({
    StringEquals: fc.record({
      'aws:PrincipalOrgID': fc.constant<string[]>(['o-abc123']),
      's3:prefix': fc.uniqueArray(fc.constantFrom<string>('logs/', 'tmp/'), { minLength: 1 }),
    }),
  }),
  { nil: undefined },
);
const statement: fc.Arbitrary<Statement> = fc.record(
  {
    Sid: fc.stringMatching(/^[A-Za-z0-9]{1,8}$/),
    Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
    Principal: principal,
    Action: fc.uniqueArray(action, { minLength: 1, maxLength: 4 }),
    Resource: fc.uniqueArray(resource, { minLength: 1, maxLength: 3 }),
    Condition: condition,
  },
  { requiredKeys: ['Effect', 'Action', 'Resource'] },
);
const policy = fc.record({ Version: fc.constant('2012-10-17'), Statement: fc.array(statement, { minLength: 1, maxLength: 5 }) });

const key = (p: NormalPolicy | Unknown | undefined): string =>
  p === undefined ? 'none' : p instanceof Unknown ? p.toJSON() : stableKey({ v: p.version, s: p.statements });
/** Plain JSON, as a document arrives (fast-check records may carry undefined keys). */
const clean = (value: unknown): Partial => JSON.parse(JSON.stringify(value)) as Partial;

/** The same statements and list elements in another order (a rotation, so the order really changes). */
function reorder(doc: { Version: string; Statement: Statement[] }, by: number): unknown {
  const rotate = <T>(list: T[]): T[] => (list.length < 2 ? list : [...list.slice(by % list.length), ...list.slice(0, by % list.length)]);
  return { ...doc, Statement: rotate(doc.Statement.map((s) => ({ ...s, Action: rotate(s.Action), Resource: rotate(s.Resource) }))) };
}

/** One-element lists written as plain strings, as IAM and people often do. */
function scalarize(doc: { Version: string; Statement: Statement[] }): unknown {
  const one = (list: string[]): string | string[] => (list.length === 1 ? (list[0] as string) : list);
  return { ...doc, Statement: doc.Statement.map((s) => ({ ...s, Action: one(s.Action), Resource: one(s.Resource) })) };
}

describe('normalizePolicy (properties)', () => {
  it('ignores the order of statements and of list elements', () => {
    fc.assert(
      fc.property(policy, fc.nat(4), (doc, by) => {
        expect(key(normalizePolicy(clean(reorder(doc, by))))).toBe(key(normalizePolicy(clean(doc))));
      }),
    );
  });

  it('treats a string and a one-element list as the same', () => {
    fc.assert(
      fc.property(policy, (doc) => {
        expect(key(normalizePolicy(clean(scalarize(doc))))).toBe(key(normalizePolicy(clean(doc))));
      }),
    );
  });

  it('reads the object, its JSON text and its URL-encoded text alike', () => {
    fc.assert(
      fc.property(policy, (doc) => {
        const expected = key(normalizePolicy(clean(doc)));
        expect(key(normalizePolicy(JSON.stringify(doc)))).toBe(expected);
        expect(key(normalizePolicy(encodePolicy(doc)))).toBe(expected);
      }),
    );
  });

  it('is idempotent: a normalized document normalizes to itself', () => {
    fc.assert(
      fc.property(policy, (doc) => {
        const once = normalizePolicy(clean(doc)) as NormalPolicy;
        const twice = normalizePolicy({ Version: once.version, Statement: once.statements });
        expect(key(twice)).toBe(key(once));
      }),
    );
  });

  it('ignores duplicate statements and the case of action names', () => {
    fc.assert(
      fc.property(policy, (doc) => {
        const noisy = {
          ...doc,
          Statement: [...doc.Statement, ...doc.Statement].map((s) => ({ ...s, Action: s.Action.map((a) => a.toUpperCase()) })),
        };
        expect(key(normalizePolicy(clean(noisy)))).toBe(key(normalizePolicy(clean(doc))));
      }),
    );
  });

  it('still tells apart documents that grant differently', () => {
    fc.assert(
      fc.property(policy, fc.nat(), (doc, i) => {
        const index = i % doc.Statement.length;
        const flipped = {
          ...doc,
          Statement: doc.Statement.map((s, j) => (j === index ? { ...s, Effect: s.Effect === 'Allow' ? 'Deny' : 'Allow' } : s)),
        };
        expect(key(normalizePolicy(clean(flipped)))).not.toBe(key(normalizePolicy(clean(doc))));
        const widened = {
          ...doc,
          Statement: doc.Statement.map((s, j) => (j === index ? { ...s, Action: [...s.Action, 'iam:CreateUser'] } : s)),
        };
        expect(key(normalizePolicy(clean(widened)))).not.toBe(key(normalizePolicy(clean(doc))));
      }),
    );
  });
});

describe('normalizePolicy', () => {
  const one = (s: Record<string, unknown>): Partial | undefined =>
    (normalizePolicy(clean({ Version: '2012-10-17', Statement: s })) as NormalPolicy).statements[0];

  it('treats {"AWS": "*"} and "*" as the same principal', () => {
    expect(one({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: '*' })).toEqual(
      one({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }),
    );
  });

  it('treats an account id and its root ARN as the same principal, as IAM stores one for the other', () => {
    expect(one({ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' })).toEqual(
      one({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' }),
    );
  });

  it('compares condition keys without case and condition values as sets', () => {
    const a = one({ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const b = one({ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'AWS:securetransport': ['false'] } } });
    expect(a).toEqual(b);
  });

  it('reads a document without Version as the 2008 language version', () => {
    expect((normalizePolicy({ Statement: [] }) as NormalPolicy).version).toBe('2008-10-17');
  });

  it('is unknown for text that is not a policy, and undefined for no policy', () => {
    expect(normalizePolicy('not json')).toBeInstanceOf(Unknown);
    expect(normalizePolicy(null)).toBeUndefined();
    expect(normalizePolicy('')).toBeUndefined();
  });

  it('keeps unknown leaves, which then match the live statement they produced', () => {
    const arn = new Unknown('aws_s3_bucket.logs.arn', /^arn:[^:]+:s3:::acme-logs$/);
    const declared = (normalizePolicy({ Statement: { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [arn] } }) as NormalPolicy)
      .statements[0];
    expect(matches(declared, one({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-logs' }))).toBe(true);
    expect(matches(declared, one({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other' }))).toBe(false);
    expect(matches(declared, one({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::acme-logs' }))).toBe(false);
  });
});

describe('statementWeakens', () => {
  const s = (x: Record<string, unknown>): Json => one(x) as Json;
  const one = (x: Record<string, unknown>): Partial | undefined => (normalizePolicy(clean({ Statement: x })) as NormalPolicy).statements[0];

  it.each([
    [
      'an Allow that grows',
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' },
      true,
    ],
    [
      'an Allow narrowed to fewer actions',
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      false,
    ],
    [
      'an Allow that lost its condition',
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      true,
    ],
    [
      'an Allow that gained a condition',
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
      false,
    ],
    [
      'a Deny that shrinks',
      { Effect: 'Deny', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
      true,
    ],
    [
      'a Deny that grows',
      { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
      { Effect: 'Deny', Action: 's3:*', Resource: '*' },
      false,
    ],
    [
      'a Deny turned into an Allow',
      { Effect: 'Deny', Action: 's3:*', Resource: '*' },
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      true,
    ],
  ])('says whether %s weakens', (_name, declared, live, weakens) => {
    expect(statementWeakens('changed', s(declared), s(live))).toBe(weakens);
  });

  it('counts an added Allow and a removed Deny as weakening, not the reverse', () => {
    const allow = s({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
    const deny = s({ Effect: 'Deny', Action: 's3:*', Resource: '*' });
    expect([statementWeakens('added', undefined, allow), statementWeakens('added', undefined, deny)]).toEqual([true, false]);
    expect([statementWeakens('removed', allow, undefined), statementWeakens('removed', deny, undefined)]).toEqual([false, true]);
  });
});
