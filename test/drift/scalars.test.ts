/**
 * Every declared scalar is compared, not a fixed subset: a property no spec knows (RDS
 * allocated_storage) is compared by name with the configuration item, across type spellings, and a
 * value the code leaves to a variable is said to be left out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { driftOf } from '../../src/drift/index.js';
import { normalizeScalar, sameScalar } from '../../src/drift/scalars.js';
import { cloudformationFiles, liveOf, terraformFiles, type Item } from './support.js';

/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- configuration items are JSON fixtures, mutated as Config would change them */
const storage = (gb: number) => (ci: Item) => void (ci.configuration.allocatedStorage = gb);

describe('every declared scalar is compared', () => {
  it('reports allocated_storage 100 → 250 with both values, though no spec names it (Terraform)', () => {
    const report = driftOf({ kind: 'terraform', files: terraformFiles('rds-instance') }, liveOf('rds-instance', storage(250)));
    expect(report.drifted).toBe(true);
    expect(report.differences).toEqual([
      expect.objectContaining({ path: 'allocatedStorage', declared: 100, live: 250, class: 'benign', weakens: false }),
    ]);
    expect(report.differences[0]?.why).toMatch(/allocated_storage: 250 live, 100 in the code/);
  });

  it('compares CloudFormation properties the same way, "100" in YAML being 100', () => {
    const cfn = { kind: 'cloudformation' as const, files: cloudformationFiles('rds-instance') };
    expect(driftOf(cfn, liveOf('rds-instance')).drifted).toBe(false);
    expect(driftOf(cfn, liveOf('rds-instance', storage(50))).differences).toEqual([
      expect.objectContaining({ path: 'allocatedStorage', declared: '100', live: 50 }),
    ]);
  });

  it('reads an engine version as the prefix RDS accepts, and a changed one as drift', () => {
    const tf = (version: string) => terraformFiles('rds-instance', (t) => t.replace('"16.2"', `"${version}"`));
    expect(driftOf({ kind: 'terraform', files: tf('16') }, liveOf('rds-instance')).drifted).toBe(false);
    expect(driftOf({ kind: 'terraform', files: tf('15.4') }, liveOf('rds-instance')).differences.map((d) => d.path)).toEqual([
      'engineVersion',
    ]);
  });

  it('does not compare a value left to a variable, and says so', () => {
    const files = terraformFiles('rds-instance', (t) =>
      t.replace('allocated_storage                   = 100', 'allocated_storage = var.size'),
    );
    const report = driftOf({ kind: 'terraform', files }, liveOf('rds-instance', storage(250)));
    expect(report.drifted).toBe(false);
    expect(report.unknown).toContain('allocated_storage (var.size)');
  });

  it('still reports a changed description or tag with its ordinary classification', () => {
    const live = liveOf('security-group', (ci) => {
      ci.configuration.description = 'changed by hand';
      ci.tags = { ...ci.tags, Name: 'someone-else' };
    });
    const report = driftOf({ kind: 'terraform', files: terraformFiles('security-group') }, live);
    expect(report.differences.map((d) => [d.path, d.class, d.weakens])).toEqual(
      expect.arrayContaining([
        ['description', 'benign', false],
        ['tags.Name', 'benign', false],
      ]),
    );
  });
});

describe('the scalar normalizer', () => {
  const scalar = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());

  it('reads a number or boolean and its text as the same value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()), (v) => {
        expect(sameScalar(v, String(v))).toBe(true);
        expect(sameScalar(String(v), v)).toBe(true);
      }),
    );
  });

  it('is idempotent and symmetric, and tells different numbers apart', () => {
    fc.assert(
      fc.property(scalar, scalar, (a, b) => {
        expect(normalizeScalar(normalizeScalar(a))).toEqual(normalizeScalar(a));
        expect(sameScalar(a, b)).toBe(sameScalar(b, a));
      }),
    );
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (a, b) => {
        expect(sameScalar(a, String(b))).toBe(a === b);
      }),
    );
  });
});
