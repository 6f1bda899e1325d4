/**
 * Reading a repository checkout safely: paths are confined to the root (no `..`, no absolute
 * paths, no symlinks anywhere), files are bounded in size, number and total. Locator tags and
 * findings are untrusted input; nothing outside the root is ever read.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { OutsideRepositoryError, UnreadableFileError } from './errors.js';

export const MAX_FILE_BYTES = 2 * 1024 * 1024;
export const MAX_FILES = 5000;
/** What one scan reads in all; files past it are skipped and said so, which bounds memory. */
export const MAX_TOTAL_BYTES = 32 * 1024 * 1024;
const SKIP_DIRS = new Set(['.git', '.terraform', 'node_modules', 'cdk.out', '.cloudmend']);

/** A repository-relative path checked to stay inside `root`, with forward slashes. */
export function confinePath(root: string, path: string): string {
  if (path === '' || isAbsolute(path) || path.includes('\0'))
    throw new OutsideRepositoryError(`path ${JSON.stringify(path)} must be relative to the repository root`);
  const normal = normalize(path);
  if (normal === '..' || normal.startsWith(`..${sep}`))
    throw new OutsideRepositoryError(`path ${JSON.stringify(path)} leaves the repository root`);
  // Every component must be a real directory or file, not a symlink (which could point anywhere).
  let current = realpathSync(root);
  for (const part of normal.split(sep)) {
    current = join(current, part);
    let stat;
    try {
      stat = lstatSync(current);
    } catch {
      throw new OutsideRepositoryError(
        `path ${JSON.stringify(path)} does not exist in the repository (cloudmend's copy of a branch leaves out symlinks, submodules and files over ${MAX_FILE_BYTES} bytes)`,
      );
    }
    if (stat.isSymbolicLink())
      throw new OutsideRepositoryError(`path ${JSON.stringify(path)} goes through a symlink; cloudmend does not follow links`);
  }
  return normal.split(sep).join('/');
}

/**
 * The text of regular file `full`, opened without following a symlink that replaced it since it
 * was looked at, and never more than `MAX_FILE_BYTES` read of it.
 */
function readBounded(full: string, shown: string, maxBytes = MAX_FILE_BYTES): string {
  const fd = openSync(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UnreadableFileError(`${shown} is not a regular file`);
    if (stat.size > maxBytes)
      throw new UnreadableFileError(`${shown} is ${stat.size} bytes, over the ${maxBytes} bytes cloudmend reads of an IaC file`);
    const buffer = Buffer.allocUnsafe(stat.size);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

/** Reads a confined file; `UnreadableFileError` when it is not a regular file or too large to be a hand-written IaC file. */
export function readRepoFile(root: string, path: string, maxBytes = MAX_FILE_BYTES): string {
  const confined = confinePath(root, path);
  return readBounded(join(root, confined), confined, maxBytes);
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
  let total = 0;
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
        else if (total + size > MAX_TOTAL_BYTES) skipped.push(`${rel} (the files before it fill the ${MAX_TOTAL_BYTES} bytes read in all)`);
        else {
          total += size;
          files.push({ path: rel, text: readBounded(full, rel) });
        }
      }
    }
  };
  walk(root);
  return { files, skipped };
}
