/**
 * Reading a repository checkout safely: paths are confined to the root (no `..`, no absolute
 * paths, no symlinks anywhere), files are bounded in size and number. Locator tags and findings
 * are untrusted input; nothing outside the root is ever read.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { OutsideRepositoryError } from './errors.js';

export const MAX_FILE_BYTES = 2 * 1024 * 1024;
export const MAX_FILES = 5000;
const SKIP_DIRS = new Set(['.git', '.terraform', 'node_modules', 'cdk.out', '.cloudmend']);

/** A repository-relative path checked to stay inside `root`, with forward slashes. */
export function confinePath(root: string, path: string): string {
  if (path === '' || isAbsolute(path) || path.includes('\0')) throw new OutsideRepositoryError(`path ${JSON.stringify(path)} must be relative to the repository root`);
  const normal = normalize(path);
  if (normal === '..' || normal.startsWith(`..${sep}`)) throw new OutsideRepositoryError(`path ${JSON.stringify(path)} leaves the repository root`);
  // Every component must be a real directory or file, not a symlink (which could point anywhere).
  let current = realpathSync(root);
  for (const part of normal.split(sep)) {
    current = join(current, part);
    let stat;
    try {
      stat = lstatSync(current);
    } catch {
      throw new OutsideRepositoryError(`path ${JSON.stringify(path)} does not exist in the repository`);
    }
    if (stat.isSymbolicLink()) throw new OutsideRepositoryError(`path ${JSON.stringify(path)} goes through a symlink; cloudmend does not follow links`);
  }
  return normal.split(sep).join('/');
}

/** Reads a confined file; undefined when it is too large to be a hand-written IaC file. */
export function readRepoFile(root: string, path: string): string | undefined {
  const full = join(root, confinePath(root, path));
  const stat = lstatSync(full);
  if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
  return readFileSync(full, 'utf8');
}

export interface ListedFile {
  /** Repository-relative, forward slashes. */
  readonly path: string;
  readonly text: string;
}

/** Files under `root` whose name passes `accept`, without following symlinks, bounded. */
export function listRepoFiles(root: string, accept: (name: string) => boolean): { files: ListedFile[]; skipped: string[] } {
  const files: ListedFile[] = [];
  const skipped: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      const rel = relative(root, full).split(sep).join('/');
      if (entry.isSymbolicLink()) {
        skipped.push(`${rel} (symlink, not followed)`);
      } else if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile() && accept(entry.name)) {
        if (files.length >= MAX_FILES) {
          skipped.push(`${rel} (more than ${MAX_FILES} files)`);
          continue;
        }
        const size = lstatSync(full).size;
        if (size > MAX_FILE_BYTES) skipped.push(`${rel} (${size} bytes, over ${MAX_FILE_BYTES})`);
        else files.push({ path: rel, text: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(root);
  return { files, skipped };
}
