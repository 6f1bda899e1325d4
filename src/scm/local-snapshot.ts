/**
 * Snapshots of a local repository's branch: the files of its head commit written into a
 * fresh temporary directory straight from the object store (`ls-tree` + one streaming
 * `cat-file --batch`), so working trees and bare repositories alike are read without touching a
 * checkout.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readObjects } from './cat-file-batch.js';
import { GitRepository, type RepositoryConfig } from './git.js';
import type { Repositories } from './port.js';
import { cachedRepositories } from './snapshot-cache.js';
import { listBlobs, type BlobEntry } from './tree-listing.js';

/** Options of {@link localRepositories}. */
export interface LocalRepositoriesOptions {
  /** Repositories by configured name; `defaultBranch` is not used here (snapshots are of the branch asked for). */
  readonly repositories: Readonly<Record<string, RepositoryConfig>>;
  /** Where snapshot directories are created; the OS temp directory by default. */
  readonly tempRoot?: string;
}

/**
 * A `Repositories` over local repositories. Snapshots are cached per (repository, branch, commit): asking
 * again after the branch moved gives a new directory, and the old one stays until `close`,
 * which removes them all (later snapshots start afresh).
 */
export function localRepositories(options: LocalRepositoriesOptions): Repositories {
  return cachedRepositories(
    {
      async head(name, branch) {
        const repo = GitRepository.open(options.repositories, name);
        const commit = await repo.requireBranch(branch);
        return { commit, fill: async (root) => writeBlobs(repo, await listBlobs(repo, commit), root) };
      },
    },
    options.tempRoot,
  );
}

/** Writes every blob under `root` through a single `git cat-file --batch`, one blob in memory at a time. */
async function writeBlobs(repo: GitRepository, blobs: readonly BlobEntry[], root: string): Promise<void> {
  await readObjects(
    repo,
    blobs.map((blob) => blob.oid),
    async (content, index) => {
      const blob = blobs[index]!;
      const file = join(root, blob.path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content, { mode: blob.executable ? 0o755 : 0o644 });
    },
  );
}
