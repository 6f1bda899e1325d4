/** Counts in the CLI's summaries read as a person writes them: one finding, two findings. */
import { describe, expect, it } from 'vitest';
import { plural } from '../src/plural.js';

describe('plural', () => {
  it.each([
    [0, 'finding', undefined, '0 findings'],
    [1, 'finding', undefined, '1 finding'],
    [2, 'finding', undefined, '2 findings'],
    [1, 'pull-request branch', 'pull-request branches', '1 pull-request branch'],
    [12, 'pull-request branch', 'pull-request branches', '12 pull-request branches'],
  ])('%i %s', (count, noun, nouns, expected) => {
    expect(plural(count, noun, nouns)).toBe(expected);
  });
});
