import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../src/errors.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import {
  asffFinding,
  complianceEvent,
  customActionEvent,
  driftEvent,
  importedEvent,
  importedV2Event,
  itemChangeEvent,
  oversizedItemEvent,
  scheduledEvent,
} from '../support/events.js';

type Json = unknown;

const TEMPLATES: Json[] = [
  importedEvent(),
  importedV2Event(),
  customActionEvent([asffFinding(), asffFinding({ control: 'EC2.19' })]),
  complianceEvent(),
  itemChangeEvent(),
  oversizedItemEvent(),
  scheduledEvent(),
  driftEvent(),
];

/** Every path into a JSON value, so mutations can land anywhere, deep fields included. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function mutate(value: Json, path: (string | number)[], replacement: Json, remove: boolean): Json {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) {
    const copy = [...(value as Json[])];
    copy[Number(head)] = mutate(copy[Number(head)], rest, replacement, remove);
    return copy;
  }
  const copy = { ...(value as Record<string, Json>) };
  if (rest.length === 0 && remove) delete copy[head];
  else copy[head] = mutate(copy[head], rest, replacement, remove);
  return copy;
}

const mutatedEvent = fc
  .tuple(
    fc.constantFrom(...TEMPLATES),
    fc.array(fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 3 }), fc.boolean()), { minLength: 1, maxLength: 4 }),
  )
  .map(([template, edits]) =>
    edits.reduce((event, [at, replacement, remove]) => {
      const all = paths(event);
      return mutate(event, all[at % all.length] ?? [], replacement, remove);
    }, template),
  );

function throwsOnlyTyped(input: Json): void {
  try {
    normalizeEvent(input);
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
  }
}

/** A copy with every object's keys in a different order, chosen by `seed`. */
function shuffleKeys(value: Json, seed: number): Json {
  if (Array.isArray(value)) return value.map((v, i) => shuffleKeys(v, seed + i));
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  let s = seed >>> 0;
  for (let i = entries.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [entries[i], entries[j]] = [entries[j] as [string, Json], entries[i] as [string, Json]];
  }
  return Object.fromEntries(entries.map(([k, v], i) => [k, shuffleKeys(v, seed + i + 1)]));
}

const fingerprints = (event: Json): string[] => normalizeEvent(event).findings.map((f) => f.fingerprint);

describe('normalizer properties', () => {
  it('throws nothing but InvalidEventError on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), throwsOnlyTyped), { numRuns: 500 });
  });

  it('throws nothing but InvalidEventError on real event shapes with arbitrary parts replaced or removed', () => {
    fc.assert(fc.property(mutatedEvent, throwsOnlyTyped), { numRuns: 3000 });
  });

  it('gives the same fingerprints whatever the key order', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEMPLATES), fc.integer(), (event, seed) => {
        expect(fingerprints(shuffleKeys(event, seed))).toEqual(fingerprints(event));
      }),
    );
  });

  it('gives the same fingerprint to a redelivery or re-import whatever changed in between', () => {
    const volatile = fc.record({
      id: fc.uuid(),
      time: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      label: fc.constantFrom('LOW', 'MEDIUM', 'HIGH', 'CRITICAL'),
      workflow: fc.constantFrom('NEW', 'NOTIFIED', 'RESOLVED'),
      title: fc.string(),
    });
    fc.assert(
      fc.property(volatile, (v) => {
        const reimported = importedEvent(
          [
            asffFinding({
              Severity: { Label: v.label },
              Workflow: { Status: v.workflow },
              Title: v.title,
              UpdatedAt: v.time,
              LastObservedAt: v.time,
            }),
          ],
          { id: v.id, time: v.time },
        );
        expect(fingerprints(reimported)).toEqual(fingerprints(importedEvent()));
        const reevaluated = { ...complianceEvent({ annotation: v.title }), id: v.id, time: v.time };
        expect(fingerprints(reevaluated)).toEqual(fingerprints(complianceEvent()));
      }),
    );
  });

  it('gives different resources different fingerprints', () => {
    const bucket = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{2,40}$/);
    fc.assert(
      fc.property(bucket, bucket, (a, b) => {
        fc.pre(a !== b);
        const event = (name: string) => importedEvent([asffFinding({ Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${name}` }] })]);
        expect(fingerprints(event(a))).not.toEqual(fingerprints(event(b)));
      }),
    );
  });
});
