/**
 * `too-large`: a fix is small. A patch that adds and removes more lines than a reviewer can read,
 * grows a file by more than a fix ever needs, or touches many files is refused whatever it
 * contains: a large patch is where something unwanted hides. Line counts are a bounded diff (the
 * edit distance in lines, as `git diff --stat` counts insertions and deletions) that gives up once
 * the limit is passed, so hostile input cannot make the count expensive.
 */
import { diffArrays } from 'diff';
import { violation } from './facts.js';
import { changed, shownPath } from './paths.js';
import type { GuardrailInput, GuardrailLimits, GuardrailViolation } from './types.js';

/** Lines a patch may add and remove over all its files. */
export const MAX_CHANGED_LINES = 200;
/** Bytes (UTF-8) by which one file may grow: 64 KiB. */
export const MAX_FILE_GROWTH_BYTES = 64 * 1024;
/** Files a patch may change or create. */
export const MAX_CHANGED_FILES = 10;

/** The limits a patch is held to when `GuardrailInput.limits` does not say otherwise. */
export const DEFAULT_LIMITS: GuardrailLimits = Object.freeze({
  maxChangedLines: MAX_CHANGED_LINES,
  maxFileGrowthBytes: MAX_FILE_GROWTH_BYTES,
  maxChangedFiles: MAX_CHANGED_FILES,
});

/** The limits of an input: each given one that is a number and not negative, else the default. */
export function limitsOf(input: GuardrailInput): GuardrailLimits {
  const pick = (name: keyof GuardrailLimits): number => {
    const value = input.limits?.[name];
    return typeof value === 'number' && !Number.isNaN(value) && value >= 0 ? value : DEFAULT_LIMITS[name];
  };
  return {
    maxChangedLines: pick('maxChangedLines'),
    maxFileGrowthBytes: pick('maxFileGrowthBytes'),
    maxChangedFiles: pick('maxChangedFiles'),
  };
}

function lines(text: string): string[] {
  return text === '' ? [] : text.split(/\r?\n/);
}

/** Lines added plus lines removed, or undefined when that is more than `cap`. */
export function changedLines(before: string, after: string, cap: number): number | undefined {
  const [b, a] = [lines(before), lines(after)];
  let start = 0;
  while (start < b.length && start < a.length && b[start] === a[start]) start++;
  let end = 0;
  while (end < b.length - start && end < a.length - start && b[b.length - 1 - end] === a[a.length - 1 - end]) end++;
  const [old, now] = [b.slice(start, b.length - end), a.slice(start, a.length - end)];
  // Every line of one side is at least a change of the difference in length; both sides at most.
  if (Math.abs(old.length - now.length) > cap) return undefined;
  if (old.length === 0 || now.length === 0) return old.length + now.length;
  const parts = diffArrays(old, now, { maxEditLength: Math.min(cap, Number.MAX_SAFE_INTEGER) });
  return parts?.reduce((n, p) => n + (p.added || p.removed ? p.count : 0), 0);
}

const bytes = (n: number): string => `${n.toLocaleString('en-US')} bytes`;

/** Size violations of the patch, judged on every file it changes (allowed or not). */
export function tooLarge(input: GuardrailInput): GuardrailViolation[] {
  const limits = limitsOf(input);
  const touched = input.files.filter(changed);
  const out: GuardrailViolation[] = [];
  if (touched.length > limits.maxChangedFiles) {
    const first = touched[limits.maxChangedFiles]?.path ?? '';
    out.push(
      violation(
        'too-large',
        shownPath(first),
        `the patch changes ${touched.length} files, more than the limit of ${limits.maxChangedFiles} files (limits.maxChangedFiles): a fix touches few files`,
      ),
    );
  }
  for (const f of touched) {
    const growth = Buffer.byteLength(f.after, 'utf8') - Buffer.byteLength(f.before ?? '', 'utf8');
    if (growth > limits.maxFileGrowthBytes)
      out.push(
        violation(
          'too-large',
          shownPath(f.path),
          `grows by ${bytes(growth)}, more than the limit of ${bytes(limits.maxFileGrowthBytes)} per file (limits.maxFileGrowthBytes)`,
        ),
      );
  }
  // Counting stops once the limit is passed: the totals are then lower bounds.
  let total = 0;
  let counted = 0;
  let largest: { path: string; count: number | undefined } | undefined;
  for (const f of touched) {
    const count = changedLines(f.before ?? '', f.after, limits.maxChangedLines + 1);
    counted++;
    if (!largest || count === undefined || (largest.count !== undefined && count > largest.count)) largest = { path: f.path, count };
    if (count === undefined) break;
    total += count;
    if (total > limits.maxChangedLines) break;
  }
  if (largest && (largest.count === undefined || total > limits.maxChangedLines)) {
    const what =
      largest.count === undefined
        ? `more than ${limits.maxChangedLines} lines`
        : `${counted < touched.length ? 'at least ' : ''}${total} lines`;
    const mine = largest.count === undefined ? `more than ${limits.maxChangedLines} in this file` : `${largest.count} in this file`;
    out.push(
      violation(
        'too-large',
        shownPath(largest.path),
        `the patch changes ${what} (${mine}), more than the limit of ${limits.maxChangedLines} changed lines (limits.maxChangedLines): a fix is small enough to review`,
      ),
    );
  }
  return out;
}
