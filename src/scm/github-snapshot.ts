/**
 * Snapshots of a GitHub repository's branch without a clone: the tree of its head commit
 * is listed through the Git Data API and only the files cloudmend can locate or patch (Terraform,
 * CloudFormation and other YAML/JSON templates) are downloaded into a fresh temporary directory.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Octokit } from '@octokit/core';
import { MAX_FILES, MAX_FILE_BYTES } from '../iac/repo-files.js';
import { mapLimit } from '../map-limit.js';
import { GitHubRepo, type GitHubRepositoryConfig, type GitHubRetryOptions, type TreeEntry } from './github-api.js';
import { refusedPathReason } from './paths.js';
import type { Repositories } from './port.js';
import { cachedRepositories } from './snapshot-cache.js';

/** Options of {@link githubRepositories}. */
export interface GitHubRepositoriesOptions {
  /** Authenticated client, e.g. from `githubOctokit`. */
  readonly octokit: Octokit;
  /** Repositories by configured name; `defaultBranch` is not used here (snapshots are of the branch asked for). */
  readonly repositories: Readonly<Record<string, GitHubRepositoryConfig>>;
  /** Where snapshot directories are created; the OS temp directory by default. */
  readonly tempRoot?: string;
  readonly retry?: GitHubRetryOptions;
}

// What the locator reads: `.tf`, `.tfvars`, and templates (`.tf.json` and `.tfvars.json` end in `.json`).
const IAC_FILE = /\.(tf|tfvars|ya?ml|json|template)$/i;
// Requests at once: enough to hide latency, few enough to stay clear of secondary rate limits.
const CONCURRENCY = 8;

/**
 * A `Repositories` over GitHub repositories. Snapshots hold the IaC files of the branch's
 * head (regular files up to `MAX_FILE_BYTES`, at most `MAX_FILES` of them; no symlinks, submodules
 * or refused paths), cached per (repository, branch, commit): asking again after the branch moved gives a
 * new directory, and the old one stays until `close`, which removes them all.
 */
export function githubRepositories(options: GitHubRepositoriesOptions): Repositories {
  return cachedRepositories(
    {
      async head(name, branch) {
        const repo = GitHubRepo.open(options.octokit, options.repositories, name, options.retry);
        const commit = await repo.requireBranch(branch);
        return {
          commit,
          fill: async (root) => {
            const blobs = await listBlobs(repo, await repo.treeOf(commit));
            await mapLimit(blobs, CONCURRENCY, (blob) => download(repo, blob, root));
          },
        };
      },
    },
    options.tempRoot,
  );
}

/** The IaC files of `tree` that are safe to write and small enough to be hand-written. */
async function listBlobs(repo: GitHubRepo, tree: string): Promise<TreeEntry[]> {
  const entries = await listAll(repo, tree);
  // Symlinks (120000) and submodules (160000, type commit) are never written; sizes come with the
  // listing, so large blobs are skipped without being downloaded. A crafted tree can hold `..` or
  // `.git` entries that a checkout would refuse; so do we.
  const blobs = entries.filter(
    (e) =>
      e.type === 'blob' &&
      (e.mode === '100644' || e.mode === '100755') &&
      (e.size ?? 0) <= MAX_FILE_BYTES &&
      IAC_FILE.test(e.path) &&
      refusedPathReason(e.path) === undefined,
  );
  return blobs.slice(0, MAX_FILES);
}

/** Every entry of `tree` at all depths, with full paths. */
async function listAll(repo: GitHubRepo, tree: string): Promise<TreeEntry[]> {
  const recursive = await repo.listTree(tree, true);
  if (!recursive.truncated) return recursive.entries;
  // GitHub cuts recursive listings short (100,000 entries or 7 MB): walk the subtrees level by level instead.
  const entries: TreeEntry[] = [];
  let level = [{ prefix: '', sha: tree }];
  while (level.length > 0) {
    const listed = await mapLimit(level, CONCURRENCY, async ({ prefix, sha }) =>
      (await repo.listTree(sha, false)).entries.map((e) => ({ ...e, path: `${prefix}${e.path}` })),
    );
    level = [];
    for (const entry of listed.flat()) {
      entries.push(entry);
      if (entry.type === 'tree' && refusedPathReason(entry.path) === undefined) level.push({ prefix: `${entry.path}/`, sha: entry.sha });
    }
  }
  return entries;
}

async function download(repo: GitHubRepo, blob: TreeEntry, root: string): Promise<void> {
  const data = await repo.call({ action: `download ${blob.path}`, permission: 'Contents: read' }, (request) =>
    repo.octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { ...repo.ids, file_sha: blob.sha, request }),
  );
  const file = join(root, blob.path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8'), {
    mode: blob.mode === '100755' ? 0o755 : 0o644,
  });
}
