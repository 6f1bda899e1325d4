/**
 * Untrusted text (finding fields, tags, file contents) made safe to show: in a terminal, a Slack
 * message or a log line it can never move the cursor, clear a screen or reverse the reading order.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with control characters and bidi overrides shown as `\uXXXX`. */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
