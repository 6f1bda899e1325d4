/** Properties of backfillBatches over arbitrary findings and limits (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backfillBatches } from '../../src/triggers/backfill.js';
import { ACCOUNT, NOW, REGION, bytesOf, idsOf, numberedFinding } from './backfill-fixtures.js';

/** Distinct findings of varied size (a title of any length) and update times. */
const findingsArb = fc
  .array(fc.record({ padding: fc.nat({ max: 3000 }), minute: fc.nat({ max: 59 }) }), { maxLength: 60 })
  .map((specs) =>
    specs.map((s, i) => numberedFinding(i, `2026-11-20T09:${String(s.minute).padStart(2, '0')}:00.000Z`, { Title: 't'.repeat(s.padding) })),
  );

const limitsArb = fc.record({ maxFindings: fc.integer({ min: 1, max: 12 }), maxBytes: fc.integer({ min: 1000, max: 12_000 }) });

describe('backfillBatches (properties)', () => {
  it('loses no finding: every id lands in exactly one batch or in oversized, in input order', () => {
    fc.assert(
      fc.property(findingsArb, limitsArb, (findings, limits) => {
        const { batches, oversized } = backfillBatches(findings, { account: ACCOUNT, region: REGION, now: NOW, ...limits });
        const batched = batches.flatMap((b) => idsOf(b.event));
        const ids = findings.map((f) => f.Id as string);
        expect([...batched, ...oversized].sort()).toEqual([...ids].sort());
        expect(new Set([...batched, ...oversized]).size).toBe(ids.length);
        expect(batched).toEqual(ids.filter((id) => !oversized.includes(id)));
      }),
    );
  });

  it('never exceeds maxFindings or maxBytes, never makes an empty batch, and only calls too-large findings oversized', () => {
    fc.assert(
      fc.property(findingsArb, limitsArb, (findings, { maxFindings, maxBytes }) => {
        const { batches, oversized } = backfillBatches(findings, { account: ACCOUNT, region: REGION, now: NOW, maxFindings, maxBytes });
        for (const batch of batches) {
          const inBatch = (batch.event.detail as { findings: unknown[] }).findings;
          expect(inBatch.length).toBeGreaterThan(0);
          expect(inBatch.length).toBeLessThanOrEqual(maxFindings);
          expect(inBatch.reduce((sum: number, f) => sum + bytesOf(f), 0)).toBeLessThanOrEqual(maxBytes);
        }
        const sizeOf = new Map(findings.map((f) => [f.Id as string, bytesOf(f)]));
        for (const id of oversized) expect(sizeOf.get(id)).toBeGreaterThan(maxBytes);
        for (const [id, size] of sizeOf) if (size > maxBytes) expect(oversized).toContain(id);
      }),
    );
  });

  it('is deterministic: the same findings give the same names and events whatever the clock', () => {
    fc.assert(
      fc.property(findingsArb, limitsArb, fc.date({ noInvalidDate: true }), (findings, limits, now) => {
        const a = backfillBatches(findings, { account: ACCOUNT, region: REGION, now: NOW, ...limits });
        const b = backfillBatches(structuredClone(findings), { account: ACCOUNT, region: REGION, now, ...limits });
        expect(b).toEqual(a);
      }),
    );
  });
});
