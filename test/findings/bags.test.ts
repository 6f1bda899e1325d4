/**
 * Security Hub entries whose free-form bags (resource tags and details, product fields) are plain
 * objects skip zod's record schema. Forcing the full schema on the same entry (a non-enumerable
 * symbol key on each bag, which that schema ignores) must give exactly the same findings and
 * problems, for valid entries and for broken ones.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { asffFinding, importedEvent } from '../support/events.js';

type Json = Record<string, unknown>;

/** `event` with every bag given a hidden symbol key: not plain, so it takes the full schema. */
function forcedFull(event: Json): Json {
  const copy = structuredClone(event);
  const hide = (bag: unknown) => {
    if (typeof bag === 'object' && bag !== null) Object.defineProperty(bag, Symbol('hidden'), { value: 1, enumerable: false });
  };
  for (const f of ((copy.detail as Json).findings as unknown[]) ?? []) {
    if (typeof f !== 'object' || f === null) continue;
    hide((f as Json).ProductFields);
    const resources = (f as Json).Resources;
    if (!Array.isArray(resources)) continue;
    for (const r of resources as unknown[]) {
      if (typeof r !== 'object' || r === null) continue;
      hide((r as Json).Tags);
      hide((r as Json).Details);
    }
  }
  return copy;
}

function outcome(event: Json): unknown {
  try {
    return normalizeEvent(event);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const bag = fc.oneof(
  fc.dictionary(
    fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'AwsS3Bucket', 'Name', 'ControlId')),
    fc.jsonValue({ maxDepth: 2 }),
  ),
  fc.jsonValue({ maxDepth: 2 }),
);
const field = fc.constantFrom('Id', 'AwsAccountId', 'Title', 'Severity', 'Compliance', 'Resources', 'Workflow', 'ProductFields');

const entries = fc.record({
  productFields: fc.option(bag, { nil: undefined }),
  tags: fc.option(bag, { nil: undefined }),
  details: fc.option(bag, { nil: undefined }),
  broken: fc.option(fc.tuple(field, fc.jsonValue({ maxDepth: 1 })), { nil: undefined }),
});

describe('Security Hub entries with plain bags', () => {
  it('normalize exactly as through the full schema, valid or not', () => {
    fc.assert(
      fc.property(fc.array(entries, { minLength: 1, maxLength: 3 }), (specs) => {
        const findings = specs.map((s) => {
          const resource: Json = {
            Type: 'AwsS3Bucket',
            Id: 'arn:aws:s3:::acme-logs',
            ...(s.tags === undefined ? {} : { Tags: s.tags }),
            ...(s.details === undefined ? {} : { Details: s.details }),
          };
          const entry = asffFinding({
            Resources: [resource],
            ...(s.productFields === undefined ? {} : { ProductFields: s.productFields }),
          });
          if (s.broken) entry[s.broken[0]] = s.broken[1];
          // Through JSON, as events arrive: `__proto__` becomes an own key.
          return JSON.parse(JSON.stringify(entry)) as Json;
        });
        const event = importedEvent(findings);
        expect(outcome(event)).toEqual(outcome(forcedFull(event)));
      }),
      { numRuns: 1_000 },
    );
  });

  it.each([
    ['Tags', 'x', 'detail.findings[0].Resources[0].Tags: Invalid input: expected record, received string'],
    ['Details', [1], 'detail.findings[0].Resources[0].Details: Invalid input: expected record, received array'],
    ['ProductFields', null, 'detail.findings[0].ProductFields: Invalid input: expected record, received null'],
  ])("still refuse %s that is not an object, with the record schema's message", (key, value, problem) => {
    const resource = { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-logs', ...(key === 'ProductFields' ? {} : { [key]: value }) };
    const entry = asffFinding({ Resources: [resource], ...(key === 'ProductFields' ? { ProductFields: value } : {}) });
    const out = normalizeEvent(importedEvent([entry, asffFinding()]));
    expect(out.problems).toEqual([problem]);
    expect(out.findings).toHaveLength(1);
  });

  it('keep a `__proto__` tag out of the tags, as the full schema does', () => {
    const event = JSON.parse(JSON.stringify(importedEvent([asffFinding()])).replace('"Tags":{', '"Tags":{"__proto__":"x",')) as Json;
    const [finding] = normalizeEvent(event).findings;
    expect(finding?.resource.tags).toEqual({ team: 'platform' });
    expect(normalizeEvent(event)).toEqual(normalizeEvent(forcedFull(event)));
  });
});
