/**
 * `hidden-text`: the lines a patch adds are canonical text. A control or format character (C0 and
 * C1 controls but tab, U+0085 NEXT LINE, U+FEFF, zero-width characters, bidi embeddings, overrides
 * and isolates, line and paragraph separators, tag characters, invisible fillers, and every space
 * but U+0020: U+00A0 and U+3000 look like it and are not) changes how a
 * tool or a reader takes a line without being seen: it is where a heredoc is ended differently by
 * two parsers, or text reads backwards in review. Refused with the code point named, whatever the
 * character is for.
 */
import { violation } from './facts.js';
import { changed, shownPath } from './paths.js';
import { addedLines } from './secrets.js';
import type { GuardrailInput, GuardrailViolation } from './types.js';

// Spaces other than U+0020 look like one and are not: where parsers trim them differently, a heredoc ends early.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}\u115f\u1160\u3164\uffa0]/gu;

const NAMES: Readonly<Record<number, string>> = {
  0x00: 'NULL',
  0x0b: 'LINE TABULATION',
  0x0c: 'FORM FEED',
  0x0d: 'CARRIAGE RETURN',
  0x1b: 'ESCAPE',
  0x7f: 'DELETE',
  0x85: 'NEXT LINE',
  0xad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE (BOM)',
  0x3164: 'HANGUL FILLER',
  0xa0: 'NO-BREAK SPACE',
  0x1680: 'OGHAM SPACE MARK',
  0x202f: 'NARROW NO-BREAK SPACE',
  0x205f: 'MEDIUM MATHEMATICAL SPACE',
  0x3000: 'IDEOGRAPHIC SPACE',
};

/** `U+0085 (NEXT LINE)`. */
export function codePointName(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = NAMES[cp] ?? (cp >= 0xe0000 && cp <= 0xe007f ? 'TAG CHARACTER' : undefined);
  return name ? `${hex} (${name})` : hex;
}

/** Control and format characters on the lines the patch adds, in every file it changes. */
export function hiddenText(input: GuardrailInput): GuardrailViolation[] {
  return input.files.filter(changed).flatMap((f) =>
    addedLines(f.before, f.after).flatMap(({ line, text }) => {
      // A tab is text; a carriage return ends a Windows line and nothing more.
      const found = [...new Set([...text.replace(/\r$/, '').matchAll(HIDDEN)].map((m) => m[0]).filter((c) => c !== '\t' && c !== ' '))];
      if (found.length === 0) return [];
      return [
        violation(
          'hidden-text',
          shownPath(f.path),
          `line ${line} adds ${found.map(codePointName).join(', ')}: control and format characters change how tools and reviewers read a line without being seen`,
          line,
        ),
      ];
    }),
  );
}
