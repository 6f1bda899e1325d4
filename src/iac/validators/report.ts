/**
 * What of a tool's output may be shown to the model (and written into a pull request): problems in
 * the validated files only, without terraform's snippets, bounded in number and length, printable.
 * A value read from anywhere else (a `file()` of a path outside the copy, which the jail already
 * makes unreadable) must never reach the model. This is the second wall, the jail the first:
 * quoted text the files do not hold is cut, and where the files read a file that may lie outside
 * the module, terraform's details (which can quote a value unquoted) are left out altogether.
 */
import { printableLine } from '../../printable.js';
import type { Problem } from './result.js';

export const REPORT_LIMITS = { problems: 20, messageChars: 300 } as const;

const QUOTED = /"((?:[^"\\]|\\.)*)"/g;
/** The tool's own words: parameter, argument and attribute names (`"path"`, `Did you mean "bucket"?`). */
const VOCABULARY = /^[a-z][a-z_]{0,23}$/;

/**
 * `text` with every double-quoted string that no file holds (raw or as JSON escapes it) shown as
 * `"…"`, but for short lower-case names, which are the tool's vocabulary.
 */
export function withoutForeignQuotes(text: string, files: readonly { readonly text: string }[]): string {
  return text.replace(QUOTED, (whole, inner: string) => {
    let value = inner;
    try {
      value = JSON.parse(whole) as string;
    } catch {
      // Not a JSON string: compare it as written.
    }
    const known = VOCABULARY.test(value) || files.some((f) => f.text.includes(value) || f.text.includes(inner));
    return known ? whole : '"…"';
  });
}

/** Terraform's functions that read files, with their first argument as written. */
const READERS = ['file', 'filebase64', 'filemd5', 'filesha1', 'filesha256', 'filesha512', 'filebase64sha256', 'filebase64sha512'];
const FILE_READ = new RegExp(`\\b(?:${[...READERS, 'templatefile', 'fileset', 'fileexists'].join('|')})\\s*\\(\\s*([^,)]*)`, 'g');
/** A literal path inside the module: relative, or below `${path.module}`, never up or out. */
const MODULE_PATH = /^"(?:\$\{path\.module\}\/)?(?![/~])(?:(?!\.\.|\$\{)[^"])*"$/;

/** Some file reads a file by a path that may lie outside the module: an absolute path, `..`, a variable. */
export function readsOutsideModule(files: readonly { readonly text: string }[]): boolean {
  return files.some((f) => [...f.text.matchAll(FILE_READ)].some((m) => !MODULE_PATH.test((m[1] ?? '').trim())));
}

/** One line, printable, at most `REPORT_LIMITS.messageChars` characters. */
export function boundedLine(text: string): string {
  const line = printableLine(text.replace(/\s+/g, ' ').trim());
  return line.length > REPORT_LIMITS.messageChars ? `${line.slice(0, REPORT_LIMITS.messageChars - 1)}…` : line;
}

/** The problems' messages, at most `REPORT_LIMITS.problems` of them, the rest counted. */
export function listProblems(problems: readonly Problem[]): string {
  const shown = problems.slice(0, REPORT_LIMITS.problems).map((p) => p.message);
  const more = problems.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}
