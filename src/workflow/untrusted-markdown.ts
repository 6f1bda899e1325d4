/**
 * Untrusted text (finding titles, resource ids and names, tags, file paths and addresses, model and
 * validator output, approvers' names) in what cloudmend writes to GitHub: pull-request titles and
 * bodies, and commit messages. One function, {@link untrustedInline}, makes such a value inert:
 *
 * - **One line.** CR/LF become a space, so a value cannot start a markdown block of its own (a
 *   heading, list, HTML block or fence) or forge a commit trailer.
 * - **Printable.** Control, bidi and invisible characters are shown as `\uXXXX` (`printableLine`):
 *   what a reviewer sees is what the text says.
 * - **A code span** whose fence is longer than any backtick run inside (padded when the text starts
 *   or ends with a backtick), so the value cannot close it. CommonMark and GFM take a code span's
 *   content literally: no emphasis, links, images, raw HTML, entities or autolinks (GFM spec, "Code
 *   spans" and "Autolinks (extension)"). GitHub does not resolve @mentions or issue references in
 *   code either: its own agentic-workflow sanitizer neutralises them by wrapping them in backticks
 *   (github/gh-aw, actions/setup/js/sanitize_content.cjs).
 * - **Broken references.** Commit messages are not rendered as markdown, yet GitHub turns `#26`,
 *   `GH-26`, `owner/repo#26` and issue URLs in them into references ("Autolinked references and
 *   URLs", docs.github.com), and a closing keyword before one (`fixes #12`) closes the issue when the
 *   commit reaches the default branch ("Linking a pull request to an issue", docs.github.com). A code
 *   span does not help there, so the characters GitHub matches are replaced by ones that read the
 *   same and match nothing: `#` → `＃` (U+FF03) ends `#26` and `owner/repo#26`; `@` → `＠` (U+FF20)
 *   ends @mentions, team mentions and email autolinks; `GH-` before a digit → `GH‑` (U+2011,
 *   non-breaking hyphen); `://` → `[:]//` ends http(s)/ftp URLs, issue URLs among them; `www.` →
 *   `www[.]` ends GFM's `www.` autolinks.
 *
 * cloudmend's own text (its headings, the diff in its fenced block, its links) is not passed here.
 */
import { printableLine } from '../printable.js';

/** What GitHub matches in text, and what reads the same to a person but matches nothing. */
const BREAKS: readonly [RegExp, string][] = [
  [/#/g, '\uff03'],
  [/@/g, '\uff20'],
  [/(gh)-(?=\d)/gi, '$1\u2011'],
  [/:\/\//g, '[:]//'],
  [/(www)\./gi, '$1[.]'],
];

/** Shown for an empty value: a code span cannot be empty. */
const EMPTY = '(empty)';

/** `content` as a code span no backtick run inside it can close. */
function codeSpan(content: string): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longest + 1);
  // A backtick next to the fence would merge with it; CommonMark strips one padding space each side.
  const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

function length(text: string): number {
  return Array.from(text).length;
}

/**
 * `text` as an inline code span that GitHub renders literally, on one printable line, with the
 * characters of references, mentions and links replaced (see the module comment for each and why),
 * cut with `…` so the whole span is at most `maxChars` characters (code points).
 */
export function untrustedInline(text: string, maxChars = 1000): string {
  const line = printableLine(text.replace(/\s*[\r\n]+\s*/g, ' ').trim());
  const content = BREAKS.reduce((s, [pattern, replacement]) => s.replace(pattern, replacement), line);
  if (content === '') return EMPTY;
  let chars = Array.from(content);
  let span = codeSpan(content);
  // Each cut removes at least the excess: the fence only shrinks as the content does.
  while (length(span) > maxChars && chars.length > 0) {
    chars = chars.slice(0, Math.max(0, chars.length - (length(span) - maxChars) - 1));
    span = codeSpan(`${chars.join('')}…`);
  }
  return span;
}
