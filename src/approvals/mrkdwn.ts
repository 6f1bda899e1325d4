/**
 * Untrusted text into Slack mrkdwn. Finding titles, resource names and diffs come from whoever can
 * create a resource or a finding, so they must not ping a channel (`<!channel>`), mention a user
 * (`<@U…>`), disguise a link (`<https://evil|aws.amazon.com>`), break out of a code block, or move
 * the reader's eyes with control and bidi characters.
 */
import { printable } from '../printable.js';

/** Slack's own escaping: with `&`, `<` and `>` encoded no control sequence can be formed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Code blocks end at three backticks: keep no two backticks adjacent (a zero-width space between). */
export function neutraliseBackticks(text: string): string {
  return text.replace(/`(?=`)/g, '`\u200b');
}

/**
 * `text` escaped for mrkdwn in at most `max` characters (counted after escaping, which is what
 * Slack's limits count), cut on a code-point boundary and never inside an entity, with `…` when cut.
 */
export function fitMrkdwn(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const char of text) {
    const piece = escapeMrkdwn(char);
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/**
 * A one-line field: whitespace runs (newlines included, so a title cannot forge extra lines of the
 * message) collapse to one space, control and bidi characters show as `\uXXXX`, backtick runs are
 * broken (no code block swallowing the rest), then {@link fitMrkdwn}.
 */
export function inlineField(text: string, max: number): string {
  return fitMrkdwn(neutraliseBackticks(printable(text.replace(/\s+/g, ' ').trim())), max);
}

/** `<@U…>` for a Slack user id we verified, anything else as escaped text. */
export function mentionOrText(actor: string): string {
  const id = /^slack:([UW][A-Z0-9]{2,30})$/.exec(actor)?.[1];
  return id === undefined ? inlineField(actor, 200) : `<@${id}>`;
}

/** Slack's date formatting, shown in each reader's time zone, with the UTC time as fallback. */
export function slackDate(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${date.toISOString()}>`;
}
