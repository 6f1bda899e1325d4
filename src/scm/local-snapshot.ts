/**
 * Snapshots of a local repository's default branch: the files of its head commit written into a
 * fresh temporary directory straight from the object store (`ls-tree` + one streaming
 * `cat-file --batch`), so working trees and bare repositories alike are read without touching a
 * checkout.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { ScmError } from './errors.js';
import { GitRepository, type RepositoryConfig } from './git.js';
import type { Repositories } from './port.js';
import { cachedRepositories } from './snapshot-cache.js';
import { listBlobs, type BlobEntry } from './tree-listing.js';

/** Options of {@link localRepositories}. */
export interface LocalRepositoriesOptions {
  /** Repositories by configured name; snapshots are of `defaultBranch`. */
  readonly repositories: Readonly<Record<string, RepositoryConfig>>;
  /** Where snapshot directories are created; the OS temp directory by default. */
  readonly tempRoot?: string;
}

/**
 * A `Repositories` over local repositories. Snapshots are cached per (repository, commit): asking
 * again after the default branch moved gives a new directory, and the old one stays until `close`,
 * which removes them all (later snapshots start afresh).
 */
export function localRepositories(options: LocalRepositoriesOptions): Repositories {
  return cachedRepositories(
    {
      async head(name) {
        const repo = GitRepository.open(options.repositories, name);
        const branch = options.repositories[name]?.defaultBranch ?? '';
        const commit = await repo.requireBranch(branch);
        return { commit, branch, fill: async (root) => writeBlobs(repo, await listBlobs(repo, commit), root) };
      },
    },
    options.tempRoot,
  );
}

/** Writes every blob under `root` through a single `git cat-file --batch`, one blob in memory at a time. */
async function writeBlobs(repo: GitRepository, blobs: readonly BlobEntry[], root: string): Promise<void> {
  if (blobs.length === 0) return;
  const child = await repo.spawn(['cat-file', '--batch']);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  // Awaited below unless writing fails first; then the kill in `finally` may still reject it.
  exited.catch(() => undefined);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  // git exiting early closes its stdin; the exit status reports that, not an EPIPE.
  child.stdin.on('error', () => undefined);
  child.stdin.end(blobs.map((blob) => `${blob.oid}\n`).join(''));
  try {
    let written = 0;
    for await (const content of batchContents(child.stdout)) {
      const blob = blobs[written];
      if (blob === undefined) throw new ScmError(`git cat-file printed more objects than asked in repository "${repo.name}"`);
      const file = join(root, blob.path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content, { mode: blob.executable ? 0o755 : 0o644 });
      written += 1;
    }
    const code = await exited;
    if (code !== 0 || written !== blobs.length) {
      throw new ScmError(
        `git cat-file failed in repository "${repo.name}" after ${written} of ${blobs.length} files (exit ${String(code)}): ${stderr.trim()}`,
      );
    }
  } finally {
    child.kill();
  }
}

/**
 * The contents of the objects `cat-file --batch` prints, in order. Each is a header line
 * `<oid> <type> <size>`, the content and a newline; any other header (`<oid> missing`) is an error.
 */
async function* batchContents(stdout: Readable): AsyncGenerator<Buffer> {
  let buffer = Buffer.alloc(0);
  let queued: Buffer[] = [];
  let queuedBytes = 0;
  // Bytes needed before parsing can go on, so that a large blob is concatenated once, not per chunk.
  let needed = 1;
  let size: number | undefined;
  for await (const chunk of stdout as AsyncIterable<Buffer>) {
    queued.push(chunk);
    queuedBytes += chunk.length;
    if (buffer.length + queuedBytes < needed) continue;
    buffer = Buffer.concat([buffer, ...queued]);
    queued = [];
    queuedBytes = 0;
    for (;;) {
      if (size === undefined) {
        const newline = buffer.indexOf(10);
        if (newline < 0) {
          needed = buffer.length + 1;
          break;
        }
        const header = buffer.subarray(0, newline).toString('utf8');
        const match = /^[0-9a-f]+ blob (\d+)$/.exec(header);
        if (match === null) throw new ScmError(`unexpected git cat-file output: ${header}`);
        size = Number(match[1]);
        buffer = buffer.subarray(newline + 1);
      }
      if (buffer.length < size + 1) {
        needed = size + 1;
        break;
      }
      yield buffer.subarray(0, size);
      buffer = buffer.subarray(size + 1);
      size = undefined;
    }
  }
}
