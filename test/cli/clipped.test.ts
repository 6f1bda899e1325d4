/** Reasons shortened for a summary line end at a word, with an ellipsis, never mid-word. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipped } from '../../src/printable.js';

describe('clipped', () => {
  it('keeps text that fits, and cuts longer text at the last word that fits', () => {
    expect(clipped('opened: local:infra:cloudmend/s3.8', 90)).toBe('opened: local:infra:cloudmend/s3.8');
    expect(clipped('no terraform code in infra declares the bucket acme-logs: name "acme-logs" matched nothing', 40)).toBe(
      'no terraform code in infra declares the…',
    );
    expect(clipped('a, b, c, dddddddddd', 9)).toBe('a, b, c…');
  });

  it('never exceeds the width, and ends with an ellipsis when it cut', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 2, max: 120 }), (text, max) => {
        const out = clipped(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        if (text.length > max) expect(out.endsWith('…')).toBe(true);
        else expect(out).toBe(text);
      }),
    );
  });
});
