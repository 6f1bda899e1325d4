/**
 * Reading markdown the way CommonMark reads code spans, and the forms GitHub turns into live links,
 * mentions and references, for the tests of what cloudmend writes to GitHub. (No markdown renderer
 * is a dependency; these are the rules that matter here, written out.)
 */

/** A document split into its code spans' contents and the text outside them (each span shown as `⟨code⟩`). */
export interface Inline {
  readonly outside: string;
  readonly spans: readonly string[];
}

/**
 * The code spans of inline markdown: a backtick run opens a span that the next run of the same
 * length closes (CommonMark 6.1); a run with no closer is literal text. One leading and one trailing
 * space are stripped when both are there and the content is not all spaces. Spans are looked for
 * line by line: every block cloudmend writes outside its diff is one line, and a span that would
 * need two is not one.
 */
export function codeSpans(markdown: string): Inline {
  const lines = markdown.split('\n').map(lineSpans);
  return { outside: lines.map((l) => l.outside).join('\n'), spans: lines.flatMap((l) => l.spans) };
}

function lineSpans(line: string): Inline {
  let outside = '';
  const spans: string[] = [];
  const runs = /`+/g;
  let at = 0;
  for (let open = runs.exec(line); open !== null; open = runs.exec(line)) {
    // A backslash before a backtick run outside code escapes it: not an opener.
    if (line[open.index - 1] === '\\') continue;
    let close = runs.exec(line);
    while (close !== null && close[0].length !== open[0].length) close = runs.exec(line);
    if (close === null) {
      runs.lastIndex = open.index + open[0].length;
      continue;
    }
    const raw = line.slice(open.index + open[0].length, close.index);
    spans.push(/^ .* $/.test(raw) && raw.trim() !== '' ? raw.slice(1, -1) : raw);
    outside += `${line.slice(at, open.index)}⟨code⟩`;
    at = close.index + close[0].length;
  }
  return { outside: outside + line.slice(at), spans };
}

/**
 * What GitHub turns into references, mentions and links wherever it scans text: markdown outside
 * code, and commit messages, which it does not render but still links and reads closing keywords in.
 */
const REFERENCE_FORMS: readonly (readonly [string, RegExp])[] = [
  ['a URL (http, https, ftp) or an issue URL', /\b(?:https?|ftp):\/\//i],
  ['a www. autolink', /\bwww\./i],
  ['a mention or team mention', /(?:^|[^\w`])@[a-z0-9]/i],
  ['an email autolink', /[\w.+-]@[\w-]+\.[\w.-]+/],
  ['an issue reference', /(?:^|[^\w&])#\d/],
  ['a cross-repository reference', /[\w.-]+\/[\w.-]+#\d/],
  ['a GH- reference', /\bGH-\d/i],
  ['a closing keyword', /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b[\s:]*(?:[\w.-]+\/[\w.-]+)?#\d/i],
];

/** Markdown that renders as a link, an image or HTML: what may only appear inside code. */
const MARKUP_FORMS: readonly (readonly [string, RegExp])[] = [
  ['an inline link or image', /!?\[[^\]]*\]\([^)]*\)/],
  ['a link reference definition', /^\s{0,3}\[[^\]]+\]:/m],
  ['an angle-bracket autolink', /<[a-z][a-z0-9+.-]{1,31}:[^\s<>]*>/i],
  ['raw HTML', /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/i],
];

function matching(forms: readonly (readonly [string, RegExp])[], text: string): string[] {
  return forms.filter(([, form]) => form.test(text)).map(([name]) => name);
}

/** The references, mentions and links GitHub would find in `text`, by name. */
export function references(text: string): string[] {
  return matching(REFERENCE_FORMS, text);
}

/** The links, images and HTML `text` would render as markdown, by name. */
export function markup(text: string): string[] {
  return matching(MARKUP_FORMS, text);
}
