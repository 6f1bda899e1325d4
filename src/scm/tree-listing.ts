/** The regular files of a commit, read from its tree without a checkout: paths, object ids, sizes. */
import { MAX_FILE_BYTES } from '../iac/repo-files.js';
import type { GitRepository } from './git.js';
import { refusedPathReason } from './paths.js';

export interface BlobEntry {
  readonly path: string;
  readonly oid: string;
  readonly executable: boolean;
}

/** Regular files of `commit` that are safe to write and small enough to be hand-written IaC. */
export async function listBlobs(repo: GitRepository, commit: string): Promise<BlobEntry[]> {
  // -l gives sizes, so large blobs are skipped without being read.
  const listing = await repo.run(['ls-tree', '-r', '-z', '-l', commit]);
  const blobs: BlobEntry[] = [];
  for (const entry of listing.split('\0')) {
    // Symlinks (120000) and submodules (160000) do not match: they are never written.
    const match = /^(100644|100755) blob ([0-9a-f]+) +(\d+)\t(.*)$/s.exec(entry);
    if (match === null) continue;
    const [, mode, oid = '', size = '', path = ''] = match;
    // A crafted tree can hold `..` or `.git` entries that a checkout would refuse; so do we.
    if (Number(size) > MAX_FILE_BYTES || refusedPathReason(path) !== undefined) continue;
    blobs.push({ path, oid, executable: mode === '100755' });
  }
  return blobs;
}
