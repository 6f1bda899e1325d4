/**
 * Untrusted text (finding titles and descriptions, tags, file contents, the model's own output)
 * as a prompt may hold it: stripped of what a reader cannot see, bounded, and wrapped in a block
 * whose delimiters the text cannot forge. Each block carries a fresh random id that the closing
 * delimiter repeats, and any delimiter-like text inside is defused, so nothing in the data can end
 * the block early or open another one.
 */
import { randomBytes } from 'node:crypto';

/** The element name of the delimiters: `<untrusted-data id="…" label="…">` … `</untrusted-data id="…">`. */
export const UNTRUSTED_TAG = 'untrusted-data';

/** Lone surrogates, which no encoder can write: replaced by U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** C0 and C1 controls but tab and line feed, and DEL. */
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
/**
 * Characters that change how text reads without being seen: bidi embeddings, overrides, isolates
 * and marks, zero-width spaces and joiners, word joiners and invisible operators, the BOM, soft
 * hyphens, Unicode tag characters ("ASCII smuggling") and variation selectors.
 */
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class -- each combining or joining character is listed to be removed on its own
  /[\u00AD\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB\u{1D173}-\u{1D17A}\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu;
/** Anything that starts like one of our delimiters, however it is spaced or cased. */
const DELIMITER = new RegExp(`<(\\s*/?\\s*${UNTRUSTED_TAG})`, 'gi');

/** `text` without lone surrogates, controls (but `\n` and `\t`) and invisible characters; line and paragraph separators become `\n`. */
export function stripInvisible(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(CONTROL, '')
    .replace(INVISIBLE, '');
}

/**
 * A label that is safe inside the opening delimiter's quotes: printable ASCII letters, digits and
 * `space . _ / : @ + -` only (anything else becomes `_`), whitespace collapsed, at most 80
 * characters; `data` when nothing is left.
 */
export function sanitizeLabel(label: string): string {
  const clean = stripInvisible(label)
    .replace(/\s+/g, ' ')
    .replace(/[^A-Za-z0-9 ._/:@+-]/g, '_')
    .trim()
    .slice(0, 80)
    .trim();
  return clean === '' ? 'data' : clean;
}

/** `text` cut to `maxChars` characters (never inside a surrogate pair), with a visible note of what was cut. */
function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = maxChars;
  if (end > 0 && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
  return `${text.slice(0, end)}\n[… truncated ${text.length - end} characters]`;
}

/**
 * Untrusted `text` as a delimited block for a prompt. The text is stripped of controls (but `\n`
 * and `\t`), bidi overrides and zero-width characters, cut to `maxChars` characters (a negative or
 * NaN limit reads as 0) with a `[… truncated N characters]` marker, and anything in it that starts
 * like a delimiter is defused (`<` becomes `‹`). The block is
 * `<untrusted-data id="<nonce>" label="<label>">`, the text, and `</untrusted-data id="<nonce>">`,
 * with a new random nonce on every call.
 */
export function untrustedSection(label: string, text: string, maxChars: number): string {
  const limit = Number.isNaN(maxChars) ? 0 : Math.max(0, Math.floor(maxChars));
  const nonce = randomBytes(12).toString('hex');
  const body = truncate(stripInvisible(text), limit).replace(DELIMITER, '‹$1');
  return `<${UNTRUSTED_TAG} id="${nonce}" label="${sanitizeLabel(label)}">\n${body}\n</${UNTRUSTED_TAG} id="${nonce}">`;
}
