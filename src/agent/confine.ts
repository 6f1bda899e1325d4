/**
 * Where a model's edits landed, held to the same ranges as a skill's: the located resource, the
 * resources bound to it, and the point right after it for new sibling resources. The guardrail
 * judges files; this judges places within them.
 */
import { diffLines } from 'diff';
import type { AllowedRange } from '../iac/edits.js';

export interface ChangedRange {
  readonly file: string;
  /** Half-open range of the original text that was replaced (`start === end`: an insertion). */
  readonly start: number;
  readonly end: number;
}

/** The regions of `before` that `after` replaced, line-wise. */
export function changedRanges(file: string, before: string, after: string): ChangedRange[] {
  const ranges: ChangedRange[] = [];
  let offset = 0;
  let open: { start: number; end: number } | undefined;
  for (const part of diffLines(before, after)) {
    if (part.added) {
      open ??= { start: offset, end: offset };
    } else if (part.removed) {
      open ??= { start: offset, end: offset };
      offset += part.value.length;
      open.end = offset;
    } else {
      if (open) ranges.push({ file, ...open });
      open = undefined;
      offset += part.value.length;
    }
  }
  if (open) ranges.push({ file, ...open });
  return ranges;
}

/** The changed ranges no allowed range holds, each with its line in the original. */
export function outsideAllowed(
  changes: readonly ChangedRange[],
  allowed: readonly AllowedRange[],
  textOf: (file: string) => string,
): string[] {
  return changes
    .filter((c) => !allowed.some((r) => r.file === c.file && c.start >= r.start && c.end <= r.end + 1))
    .map((c) => `${c.file} line ${textOf(c.file).slice(0, c.start).split('\n').length}`);
}
