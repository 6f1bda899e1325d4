/**
 * What a pull request may write: git's own rules for tree paths and branch names, checked before
 * any adapter touches a repository, so a hostile path or name is refused the same way everywhere.
 */
import { ScmError } from './errors.js';
import type { ChangedFile } from './port.js';

/**
 * Why git tree path `path` is refused, or undefined when it is acceptable: it must be relative,
 * with forward slashes, and never name `.`, `..` or `.git` (so nothing escapes the tree or
 * touches repository metadata when written out).
 */
export function refusedPathReason(path: string): string | undefined {
  if (path === '') return 'is empty';
  if (path.includes('\0')) return 'contains a NUL byte';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute';
  if (path.includes('\\')) return 'contains a backslash (use forward slashes)';
  for (const part of path.split('/')) {
    if (part === '') return 'has an empty component';
    if (part === '.' || part === '..') return `contains "${part}"`;
    if (part.toLowerCase() === '.git') return 'goes into .git';
  }
  return undefined;
}

/** Why `branch` is not a valid git branch name (the rules of `git check-ref-format`), or undefined. */
export function refusedBranchReason(branch: string): string | undefined {
  if (branch === '' || branch === '@') return 'is empty or "@"';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what git refuses
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(branch)) return 'contains a space, a control character or one of ~^:?*[\\';
  if (branch.includes('..') || branch.includes('@{')) return 'contains ".." or "@{"';
  if (branch.endsWith('.')) return 'ends with "."';
  for (const part of branch.split('/')) {
    if (part === '') return 'has an empty component';
    if (part.startsWith('.') || part.endsWith('.lock')) return 'has a component starting with "." or ending with ".lock"';
  }
  return undefined;
}

/** Refuses an empty change, a refused path, or a path given twice. */
export function checkChangedFiles(repository: string, files: readonly ChangedFile[]): void {
  if (files.length === 0) throw new ScmError(`nothing to change: no files given for repository "${repository}"`, { userFacing: true });
  const seen = new Set<string>();
  for (const { path } of files) {
    const reason = refusedPathReason(path);
    if (reason !== undefined)
      throw new ScmError(`refusing file path ${JSON.stringify(path)} for repository "${repository}": it ${reason}`, { userFacing: true });
    if (seen.has(path))
      throw new ScmError(`file path ${JSON.stringify(path)} is given twice for repository "${repository}"`, { userFacing: true });
    seen.add(path);
  }
}
