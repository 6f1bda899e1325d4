/**
 * Text edits and their application. Every edit a skill proposes is checked against the ranges it
 * may touch (the located resource, resources bound to it, and the point right after it for new
 * sibling resources) before anything is written: an edit elsewhere is a bug, never applied.
 */
import { createTwoFilesPatch } from 'diff';
import { CloudmendError } from '../errors.js';

export interface TextEdit {
  /** Repository-relative path. */
  readonly file: string;
  /** Half-open character range `[start, end)` to replace; `start === end` inserts. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface AllowedRange {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  /** Why edits may land here: `located resource aws_s3_bucket.logs`, `bound resource ...`. */
  readonly why: string;
}

export class EditOutsideTargetError extends CloudmendError {
  override name = 'EditOutsideTargetError';
}

/** Throws unless every edit lies within one allowed range (insertions at its end included). */
export function assertConfined(edits: readonly TextEdit[], allowed: readonly AllowedRange[], skillId?: string): void {
  for (const edit of edits) {
    const ok = allowed.some((r) => r.file === edit.file && edit.start >= r.start && edit.end <= r.end);
    if (!ok) {
      const where = allowed.map((r) => `${r.file}[${r.start},${r.end}) ${r.why}`).join('; ');
      throw new EditOutsideTargetError(`edit ${edit.file}[${edit.start},${edit.end}) is outside what the fix may touch (${where})`, {
        skillId,
      });
    }
  }
}

/**
 * Applies edits to one file's text; overlapping edits are a bug and throw. Insertions at the same
 * offset appear in the order they were given.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => b.edit.start - a.edit.start || b.edit.end - a.edit.end || b.index - a.index)
    .map(({ edit }) => edit);
  let out = text;
  let floor = Number.POSITIVE_INFINITY;
  for (const edit of sorted) {
    if (edit.end > floor || edit.start > edit.end || edit.start < 0 || edit.end > text.length) {
      throw new CloudmendError(`overlapping or invalid edit ${edit.file}[${edit.start},${edit.end})`);
    }
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    floor = edit.start;
  }
  return out;
}

/** Applies edits across files: path → new text, for the files edited. */
export function applyFileEdits(files: ReadonlyMap<string, string>, edits: readonly TextEdit[]): Map<string, string> {
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  const out = new Map<string, string>();
  for (const [file, fileEdits] of byFile) {
    const text = files.get(file);
    if (text === undefined) throw new CloudmendError(`edit of ${file}, which was not read`);
    out.set(file, applyEdits(text, fileEdits));
  }
  return out;
}

/** A unified diff of one file, `a/` and `b/` prefixed as git does. */
export function unifiedDiff(file: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 })
    .replace(/^=+\n/m, '')
    .replace(/^Index: .*\n/m, '');
}
