/**
 * Untrusted text (finding fields, tags, file contents) made safe to show: in a terminal, a Slack
 * message or a log line it can never move the cursor, clear a screen, reverse the reading order
 * or hide characters between the ones a reader sees.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/**
 * What changes how text reads without being seen: bidi embeddings, overrides, isolates and marks
 * (U+061C, U+200E/F, U+202A–E, U+2066–9), zero-width spaces and joiners and word joiners
 * (U+180E, U+200B–D, U+2060–4, U+FEFF), line and paragraph separators (U+2028/9), Unicode tag
 * characters ("ASCII smuggling"), and lone surrogates, which no encoder can write.
 */
const INVISIBLE =
  /[\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]|[\ud800-\udfff]/u;
const UNSAFE = new RegExp(`${CONTROL.source}|${INVISIBLE.source}`, 'gu');
const UNSAFE_IN_LINE = new RegExp(`[\\t\\n]|${CONTROL.source}|${INVISIBLE.source}`, 'gu');

/** Each UTF-16 unit as `\uXXXX`: the escape JSON and JavaScript read back as the same text. */
function escape(c: string): string {
  let out = '';
  for (let i = 0; i < c.length; i += 1) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * `text` with control characters (but tab and line feed), bidi controls and invisible characters
 * shown as `\uXXXX`. JSON text stays JSON that parses to the same value: these characters can only
 * stand inside its strings, where the escape means the same.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** Like {@link printable}, and tabs and line feeds shown as `\u0009` and `\u000a` too: for text that must stay on one line. */
export function printableLine(text: string): string {
  return text.replace(UNSAFE_IN_LINE, escape);
}

/** `text` within `max` characters, cut at a word boundary with an ellipsis rather than mid-word. */
export function clipped(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  // The cut ends a word when the next character is a space; otherwise back to the last space, if that keeps most of it.
  const space = /\s/.test(text[max - 1] ?? '') ? cut.length : cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}
