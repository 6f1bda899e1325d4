/**
 * The one check that needs the whole pattern: how its `$or`s combine. EventBridge expands `$or` into
 * one flat rule per combination of branches, keyed by field path.
 */
import type { CompiledPattern, Report } from './event-pattern-compile.js';

// Beyond this many combinations we stop expanding; EventBridge also refuses patterns that need over 1000.
const MAX_COMBINATIONS = 1000;

/** For each way through the `$or`s, the (JSON-encoded) event paths its leaves constrain. */
type Combinations = readonly ReadonlySet<string>[];

/**
 * Reports fields constrained twice within one combination. There each field holds one condition, so
 * EventBridge silently keeps only the later one; such patterns are refused rather than evaluated
 * differently from AWS (this matcher would AND the two).
 */
export function checkOrCombinations(fields: CompiledPattern, report: Report): void {
  const duplicates = new Map<string, readonly string[]>();
  const combinations = combine(fields, [new Set()], duplicates);
  for (const path of duplicates.values()) {
    const where = 'both inside and outside an $or (or in two combined $or branches)';
    report(path, `is constrained ${where}; EventBridge would keep only one of the conditions, so state it once`);
  }
  if (combinations === undefined) {
    report([], `the $or branches combine into more than ${MAX_COMBINATIONS} alternatives; simplify the pattern`);
  }
}

/** The leaf paths of each combination, or undefined once there are too many combinations. */
function combine(fields: CompiledPattern, start: Combinations, duplicates: Map<string, readonly string[]>): Combinations | undefined {
  let combinations: Combinations | undefined = start;
  for (const node of fields) {
    if (combinations === undefined) return undefined;
    const before: Combinations = combinations;
    if (node.kind === 'leaf') {
      const key = JSON.stringify(node.path);
      if (before.some((paths) => paths.has(key))) duplicates.set(key, node.path);
      combinations = before.map((paths) => new Set(paths).add(key));
    } else if (node.kind === 'object') {
      combinations = combine(node.fields, before, duplicates);
    } else {
      const expanded = node.branches.map((branch) => combine(branch, before, duplicates));
      const flat = expanded.every((c) => c !== undefined) ? expanded.flat() : [];
      combinations = flat.length > 0 && flat.length <= MAX_COMBINATIONS ? flat : undefined;
    }
  }
  return combinations;
}
