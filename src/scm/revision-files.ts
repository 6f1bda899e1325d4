/**
 * Two revisions of a repository as `cloudmend guard` reads them: the files of each, straight from
 * the object store (no checkout, nothing of the working tree), and the paths that differ. The
 * repository is untrusted: every git call goes through `GitRepository.run`.
 */
import { ScmError } from './errors.js';
import type { GitRepository } from './git.js';
import { listBlobs } from './tree-listing.js';

/** The files of one commit, read on demand. */
export interface Revision {
  readonly commit: string;
  readonly paths: readonly string[];
  read(path: string): Promise<string>;
}

/** The commit `rev` names; a user-facing error when it names none. */
export async function resolveCommit(repo: GitRepository, rev: string): Promise<string> {
  if (rev.startsWith('-') || rev.includes('\0')) throw new ScmError(`${JSON.stringify(rev)} is not a revision`, { userFacing: true });
  const commit = (await repo.run(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim();
  if (commit === '')
    throw new ScmError(`${rev} names no commit in ${repo.path}: fetch it first (in CI, fetch enough history for both revisions)`, {
      userFacing: true,
    });
  return commit;
}

export async function revisionAt(repo: GitRepository, rev: string): Promise<Revision> {
  const commit = await resolveCommit(repo, rev);
  const blobs = await listBlobs(repo, commit);
  const oids = new Map(blobs.map((b) => [b.path, b.oid]));
  return {
    commit,
    paths: blobs.map((b) => b.path),
    read: async (path) => {
      const oid = oids.get(path);
      if (oid === undefined) throw new ScmError(`${path} is not a file of ${commit}`);
      return repo.run(['cat-file', 'blob', oid]);
    },
  };
}

/** The paths whose content differs between two commits (renames as a deletion and an addition). */
export async function changedPaths(repo: GitRepository, base: string, head: string): Promise<string[]> {
  const out = await repo.run(['diff-tree', '-r', '-z', '--no-renames', '--name-only', base, head]);
  return out.split('\0').filter((p) => p !== '');
}
