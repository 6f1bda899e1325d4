/**
 * What every `Repositories` adapter shares: one snapshot directory per (repository, branch, commit), built
 * once even when asked for concurrently, a failed build forgotten so the next call tries again,
 * and every directory removed by `close`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Repositories, Snapshot } from './port.js';

export interface SnapshotSource {
  /** Resolves `branch` of the repository to a commit; throws for an unknown repository or a missing branch. */
  head(name: string, branch: string): Promise<{ readonly commit: string; fill(root: string): Promise<void> }>;
}

export function cachedRepositories(source: SnapshotSource, tempRoot: string = tmpdir()): Repositories {
  const cache = new Map<string, Promise<Snapshot>>();
  const dirs = new Set<string>();

  async function build(head: Awaited<ReturnType<SnapshotSource['head']>>, branch: string): Promise<Snapshot> {
    const root = await mkdtemp(join(tempRoot, 'cloudmend-snapshot-'));
    dirs.add(root);
    try {
      await head.fill(root);
      return { root, commit: head.commit, branch };
    } catch (error) {
      dirs.delete(root);
      await rm(root, { recursive: true, force: true });
      throw error;
    }
  }

  return {
    async snapshot(name: string, branch: string): Promise<Snapshot> {
      const head = await source.head(name, branch);
      const key = `${name}\0${branch}\0${head.commit}`;
      let snapshot = cache.get(key);
      if (snapshot === undefined) {
        snapshot = build(head, branch);
        cache.set(key, snapshot);
        // A failed build is not cached: the next call tries again.
        snapshot.catch(() => cache.delete(key));
      }
      return snapshot;
    },

    async close(): Promise<void> {
      // Builds still running would otherwise write into a directory removed under them.
      await Promise.allSettled(cache.values());
      cache.clear();
      const removing = [...dirs].map((dir) => rm(dir, { recursive: true, force: true }));
      dirs.clear();
      await Promise.all(removing);
    },
  };
}
