/** Obfuscations attackers use to slip instructions past filters and reviewers. */

export const obfuscate = {
  /** Zero-width spaces between the letters. */
  zeroWidth: (text: string): string => [...text].join('\u200B'),
  /** Written backwards behind a right-to-left override, so that it displays forwards. */
  reversed: (text: string): string => `\u202E${[...text].reverse().join('')}\u202C`,
  /** Latin letters swapped for Greek and Cyrillic look-alikes. */
  homoglyphs: (text: string): string => text.replace(/[AEIOPT]/g, (c) => ({ A: 'Α', E: 'Ε', I: 'Ι', O: 'О', P: 'Р', T: 'Т' })[c] ?? c),
  /** Fullwidth forms. */
  fullwidth: (text: string): string => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
  base64: (text: string): string => Buffer.from(text, 'utf8').toString('base64'),
};
