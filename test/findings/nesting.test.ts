/**
 * `nestedDeeperThan` answers as the single exact walk it replaced (each object once, depth-first,
 * children in order) for every input: trees, and objects shared or cyclic, where its quick walk
 * cannot decide alone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nestedDeeperThan } from '../../src/findings/envelope.js';

/** The walk as it was before the quick one was added: the specification. */
function reference(value: unknown, max: number): boolean {
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

const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { a: [nested(depth - 1)] });

/**
 * A graph of `nodes` objects and arrays whose children are other nodes (any: shared and cyclic
 * references) or primitives; node 0 is the root.
 */
const graphs = fc
  .array(
    fc.record({ array: fc.boolean(), children: fc.array(fc.oneof(fc.nat(11), fc.constant('x'), fc.constant(null)), { maxLength: 4 }) }),
    { minLength: 1, maxLength: 12 },
  )
  .map((specs) => {
    const nodes: (unknown[] | Record<string, unknown>)[] = specs.map((s) => (s.array ? [] : {}));
    specs.forEach((spec, i) => {
      const node = nodes[i];
      spec.children.forEach((child, k) => {
        const value = typeof child === 'number' ? (nodes[child % nodes.length] ?? null) : child;
        if (Array.isArray(node)) node.push(value);
        else if (node) node[`k${k}`] = value;
      });
    });
    return nodes[0];
  });

describe('nestedDeeperThan', () => {
  it.each([
    ['a primitive', 'text', 0, false],
    ['null', null, 0, false],
    ['an empty object at limit 0', {}, 0, true],
    ['an object at limit 1', {}, 1, false],
    ['objects nested exactly to the limit', nested(3), 6, false],
    ['objects nested one past the limit', nested(3), 5, true],
    ['an array nested 100,000 deep', JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown, 100, true],
  ])('answers for %s', (_, value, max, expected) => {
    expect(nestedDeeperThan(value, max)).toBe(expected);
  });

  it('answers a cycle by where its objects are first reached, not by going round it', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(nestedDeeperThan({ loop }, 3)).toBe(false);
    expect(nestedDeeperThan({ loop }, 1)).toBe(true);
  });

  it('stays linear when one object is shared along 2^40 paths', () => {
    let node: Record<string, unknown> = {};
    for (let i = 0; i < 40; i += 1) node = { a: node, b: node };
    const start = performance.now();
    expect(nestedDeeperThan(node, 100)).toBe(false);
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it('answers as the exact walk for any graph, shared and cyclic references included', () => {
    fc.assert(
      fc.property(graphs, fc.nat(8), (root, max) => {
        expect(nestedDeeperThan(root, max)).toBe(reference(root, max));
      }),
      { numRuns: 2_000 },
    );
  });

  it('answers as the exact walk for JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.nat(10), (value, max) => {
        expect(nestedDeeperThan(value, max)).toBe(reference(value, max));
      }),
      { numRuns: 1_000 },
    );
  });
});
