/**
 * `outside-target`: a patch writes only the files it was given. Paths are checked as text, with
 * no file system: absolute paths (POSIX, Windows drive or UNC), `..` segments and NUL bytes are
 * refused whatever they would resolve to.
 */
import { violation } from './facts.js';
import type { GuardrailInput, GuardrailViolation, PatchedFile } from './types.js';

/** Why a path cannot be a repository-relative file, or undefined when it can. */
export function badPath(path: string): string | undefined {
  if (path === '') return 'is empty';
  if (path.includes('\0')) return 'contains a NUL byte';
  if (/^([/\\]|[A-Za-z]:)/.test(path)) return 'is absolute';
  if (path.split(/[/\\]/).includes('..')) return 'leaves its directory with ..';
  return undefined;
}

/** True when the patch writes the file: new, or text changed. */
export function changed(file: PatchedFile): boolean {
  return file.before !== file.after;
}

/** A path as messages show it: escaped, so that control characters and NUL bytes are visible. */
export function shownPath(path: string): string {
  return JSON.stringify(path).slice(1, -1);
}

export function outsideTarget(input: GuardrailInput): GuardrailViolation[] {
  const allowed = new Set(input.allowedFiles);
  return input.files.flatMap((file) => {
    const shown = shownPath(file.path);
    const bad = badPath(file.path);
    if (bad !== undefined) return [violation('outside-target', shown, `the path ${bad}: a patch writes only repository-relative files`)];
    if (!changed(file) || allowed.has(file.path)) return [];
    return [
      violation(
        'outside-target',
        shown,
        `${file.before === undefined ? 'created' : 'changed'}, but the patch may only touch ${input.allowedFiles.join(', ') || 'no file'}`,
      ),
    ];
  });
}
