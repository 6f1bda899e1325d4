/**
 * Two revisions of a repository as `cloudmend guard` reads them: the files of each, straight from
 * the object store (no checkout, nothing of the working tree), and the paths that differ. The
 * repository is untrusted: every git call goes through `GitRepository`.
 */
import { readObjects } from './cat-file-batch.js';
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

type Waiter = { readonly resolve: (text: string) => void; readonly reject: (error: unknown) => void };

/**
 * Reads gathered by turn of the event loop: the reads asked for together (a change's every file,
 * at once) share one `cat-file --batch` instead of a git process each.
 */
function gatheredReads(repo: GitRepository): (oid: string) => Promise<string> {
  let gathering: Map<string, Waiter[]> | undefined;
  const flush = async (asked: Map<string, Waiter[]>): Promise<void> => {
    const oids = [...asked.keys()];
    try {
      await readObjects(repo, oids, (content, index) => {
        const text = content.toString('utf8');
        for (const waiter of asked.get(oids[index]!)!) waiter.resolve(text);
      });
    } catch (error) {
      for (const waiter of [...asked.values()].flat()) waiter.reject(error);
    }
  };
  return (oid) =>
    new Promise<string>((resolve, reject) => {
      if (gathering === undefined) {
        const asked = (gathering = new Map<string, Waiter[]>());
        setImmediate(() => {
          gathering = undefined;
          void flush(asked);
        });
      }
      gathering.set(oid, [...(gathering.get(oid) ?? []), { resolve, reject }]);
    });
}

export async function revisionAt(repo: GitRepository, rev: string): Promise<Revision> {
  const commit = await resolveCommit(repo, rev);
  const blobs = await listBlobs(repo, commit);
  const oids = new Map(blobs.map((b) => [b.path, b.oid]));
  const read = gatheredReads(repo);
  return {
    commit,
    paths: blobs.map((b) => b.path),
    read: async (path) => {
      const oid = oids.get(path);
      if (oid === undefined) throw new ScmError(`${path} is not a file of ${commit}`);
      return read(oid);
    },
  };
}

/** The paths whose content differs between two commits (renames as a deletion and an addition). */
export async function changedPaths(repo: GitRepository, base: string, head: string): Promise<string[]> {
  const out = await repo.run(['diff-tree', '-r', '-z', '--no-renames', '--name-only', base, head]);
  return out.split('\0').filter((p) => p !== '');
}
