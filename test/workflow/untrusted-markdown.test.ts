/** untrustedInline: any text becomes one code span on one printable line, with nothing GitHub would make live. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { untrustedInline } from '../../src/workflow/untrusted-markdown.js';
import { UNSAFE } from '../abuse/support.js';
import { codeSpans, references } from './markdown-inspect.js';

describe('untrustedInline', () => {
  it.each([
    [
      'plain text as it is',
      'S3 general purpose buckets should block public access',
      '`S3 general purpose buckets should block public access`',
    ],
    ['an issue reference', 'fixes #1', '`fixes ＃1`'],
    ['a cross-repository reference', 'Closes acme/infra#2', '`Closes acme/infra＃2`'],
    ['an issue URL', 'resolves https://github.com/acme/infra/issues/3', '`resolves https[:]//github.com/acme/infra/issues/3`'],
    ['a GH- reference', 'GH-4 and gh-5', '`GH\u20114 and gh\u20115`'],
    ['a mention and a team', '@octocat and @org/team', '`＠octocat and ＠org/team`'],
    ['an email address', 'user@evil.example', '`user＠evil.example`'],
    ['a www. address', 'WWW.evil.example', '`WWW[.]evil.example`'],
    ['a link', '[click](https://evil.example)', '`[click](https[:]//evil.example)`'],
    ['raw HTML', '<img src=x onerror=alert(1)>', '`<img src=x onerror=alert(1)>`'],
    ['backticks', 'a ` b `` c', '```a ` b `` c```'],
    ['a leading backtick', '`x', '`` `x ``'],
    ['line breaks', 'one\r\n\r\n  two\nthree', '`one two three`'],
    ['bidi and zero-width characters', 'a\u202eb\u200bc', '`a\\u202eb\\u200bc`'],
    ['nothing', ' \n ', '(empty)'],
  ])('renders %s', (_name, text, expected) => {
    expect(untrustedInline(text)).toBe(expected);
  });

  it('cuts long text with … so the span fits, fence included', () => {
    expect(untrustedInline('abcdefghij', 8)).toBe('`abcde…`');
    const ticks = untrustedInline(`${'`'.repeat(30)}${'x'.repeat(50)}`, 40);
    expect(Array.from(ticks).length).toBeLessThanOrEqual(40);
    expect(codeSpans(ticks).outside).toBe('⟨code⟩');
  });

  it('makes any text one code span, printable, within bounds, with no reference, mention or link GitHub would find in it', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc
        .array(fc.constantFrom('`', '``', '@', '#1', 'GH-2', 'https://', 'www.', ' ', '\n', '\r', '\u202e', '\\', '<b>', '|', 'x'), {
          maxLength: 40,
        })
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: 20, max: 300 }), (input, max) => {
        const out = untrustedInline(input, max);
        if (out === '(empty)') return input.trim() === '';
        const { outside, spans } = codeSpans(out);
        return (
          outside === '⟨code⟩' &&
          spans.length === 1 &&
          Array.from(out).length <= max &&
          !UNSAFE.test(out) &&
          !out.includes('\n') &&
          references(spans[0] ?? '').length === 0
        );
      }),
      { numRuns: 500 },
    );
  });

  it('keeps text without special characters as it reads', () => {
    const plain = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _,;()/.]{0,80}[A-Za-z0-9]$/).filter((t) => !/www\./i.test(t));
    fc.assert(
      fc.property(plain, (input) => untrustedInline(input) === `\`${input}\``),
      { numRuns: 200 },
    );
  });
});
