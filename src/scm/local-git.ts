/**
 * Pull requests as branches of a git repository on disk, written with plumbing only: the tree is
 * built in a temporary index and the branch moved with a compare-and-swap `update-ref`, so the
 * user's working tree, index and checked-out branch are never touched, and two processes opening
 * the same branch end with one branch and no lost update. A branch is `merged` once its head is an
 * ancestor of the default branch; nothing locally says "closed unmerged". Retiring deletes the
 * local branch (compare-and-swap as well); a copy pushed to origin stays there.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkBranchOwner, ownerOf, withOwnerTrailer } from './branch-owner.js';
import { ScmError, TransientScmError } from './errors.js';
import { GitRepository, gitIdentity, type RepositoryConfig } from './git.js';
import { pushToOrigin } from './git-push.js';
import { checkChangedFiles } from './paths.js';
import type {
  ChangedFile,
  PullRequestInput,
  PullRequestResult,
  PullRequests,
  PullRequestStatus,
  RetireInput,
  RetireResult,
  StatusInput,
} from './port.js';

/** Options of {@link localGitPullRequests}. */
export interface LocalGitOptions {
  /** Repositories by configured name; `defaultBranch` is not used here (`PullRequestInput.base` is). */
  readonly repositories: Readonly<Record<string, RepositoryConfig>>;
  /**
   * Push the branch to `origin` (see git-push.ts: a branch there holding the same change is left as
   * it is, one holding another change replaced only when cloudmend wrote all of it). Without it
   * nothing leaves the machine.
   */
  readonly push?: boolean;
  /** Author and committer of cloudmend's commits; `cloudmend <cloudmend@localhost>` by default. */
  readonly author?: { readonly name: string; readonly email: string };
}

interface MovedBranch {
  readonly commit: string;
  readonly created: boolean;
  readonly updated: boolean;
}

const DEFAULT_AUTHOR = { name: 'cloudmend', email: 'cloudmend@localhost' };
const FILE_MODES = new Set(['100644', '100755']);

/** A `PullRequests` whose pull requests are branches (optionally pushed to `origin`) of local repositories. */
export function localGitPullRequests(options: LocalGitOptions): PullRequests {
  const author = options.author ?? DEFAULT_AUTHOR;
  const identity = gitIdentity(author);
  return {
    async open(input: PullRequestInput): Promise<PullRequestResult> {
      const repo = GitRepository.open(options.repositories, input.repository);
      checkChangedFiles(repo.name, input.files);
      const message = withOwnerTrailer(input.commitMessage, input.owner);
      const baseCommit = await repo.requireBranch(input.base);
      await checkBranch(repo, input.branch, input.base);
      const moved = await writeBranch(repo, { ...input, commitMessage: message }, baseCommit, identity);
      const request = { commit: moved.commit, branch: input.branch, base: { name: input.base, commit: baseCommit }, owner: input.owner };
      const origin = options.push === true ? await pushToOrigin(repo, request) : undefined;
      return { id: `local:${repo.name}:${input.branch}`, branch: input.branch, url: undefined, ...moved, origin };
    },

    async status(input: StatusInput): Promise<PullRequestStatus> {
      const repo = GitRepository.open(options.repositories, input.repository);
      const head = await repo.branchHead(input.branch);
      if (head === undefined) return { state: 'missing', baseMoved: false };
      const owner = ownerOf((await readCommit(repo, head)).message);
      const baseCommit = await repo.requireBranch(input.base);
      if (await repo.isAncestor(head, baseCommit)) return { state: 'merged', head, owner, baseMoved: false };
      return { state: 'open', head, owner, baseMoved: !(await repo.isAncestor(baseCommit, head)) };
    },

    async retire(input: RetireInput): Promise<RetireResult> {
      const repo = GitRepository.open(options.repositories, input.repository);
      const head = await repo.branchHead(input.branch);
      if (head === undefined) return { retired: false };
      checkBranchOwner({ repository: repo.name, branch: input.branch, commit: head }, (await readCommit(repo, head)).message, input.owner);
      await checkNotCheckedOut(repo, input.branch);
      // Deleted only if still at the head checked (the reason stays in the ledger: it is free text, never an argument).
      await repo.run(['update-ref', '-m', 'cloudmend: retire pull request', '-d', `refs/heads/${input.branch}`, head]);
      return { retired: true };
    },
  };
}

/** The branch must be a valid name, not the base, and not checked out anywhere (moving it would change that worktree's HEAD). */
async function checkBranch(repo: GitRepository, branch: string, base: string): Promise<void> {
  const ref = `refs/heads/${branch}`;
  // --normalize prints the name only when it is valid; exact equality also refuses `a//b`.
  if ((await repo.run(['check-ref-format', '--normalize', ref])).trim() !== ref) {
    throw new ScmError(`refusing branch name ${JSON.stringify(branch)} for repository "${repo.name}": not a valid git branch name`, {
      userFacing: true,
    });
  }
  if (branch === base)
    throw new ScmError(`refusing to open a pull request from "${branch}" onto itself in repository "${repo.name}"`, { userFacing: true });
  await checkNotCheckedOut(repo, branch);
}

/** Moving or deleting a branch checked out in a worktree would change that worktree's HEAD: refused. */
async function checkNotCheckedOut(repo: GitRepository, branch: string): Promise<void> {
  const worktrees = await repo.run(['worktree', 'list', '--porcelain']);
  if (worktrees.split('\n').includes(`branch refs/heads/${branch}`)) {
    throw new ScmError(
      `branch "${branch}" is checked out in a worktree of repository "${repo.name}"; cloudmend does not move a checked-out branch (switch away from it first)`,
      { userFacing: true },
    );
  }
}

async function treeOf(repo: GitRepository, commit: string): Promise<string> {
  return (await repo.run(['rev-parse', '--verify', `${commit}^{tree}`])).trim();
}

/** The tree and message of `commit`: its raw object is headers (the tree first), a blank line, the message. */
async function readCommit(repo: GitRepository, commit: string): Promise<{ tree: string; message: string }> {
  const raw = await repo.run(['cat-file', 'commit', commit]);
  const tree = /^tree ([0-9a-f]+)\n/.exec(raw)?.[1];
  const end = raw.indexOf('\n\n');
  if (tree === undefined) throw new ScmError(`commit ${commit} of repository "${repo.name}" has no tree`);
  return { tree, message: end === -1 ? '' : raw.slice(end + 2) };
}

/**
 * Builds the new tree and points the branch at it; scratch files live in a temporary directory.
 * `input.commitMessage` already ends with the owner's trailer.
 */
async function writeBranch(
  repo: GitRepository,
  input: PullRequestInput,
  baseCommit: string,
  identity: Record<string, string>,
): Promise<MovedBranch> {
  const scratch = await mkdtemp(join(tmpdir(), 'cloudmend-pr-'));
  try {
    const tree = await buildTree(repo, baseCommit, input.files, scratch);
    if (tree === (await treeOf(repo, baseCommit))) {
      throw new ScmError(`nothing to change: the files already have this content on "${input.base}" of repository "${repo.name}"`, {
        userFacing: true,
      });
    }
    return await moveBranch(repo, input, { baseCommit, tree, scratch, identity });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The tree of `baseCommit` with `files` written in, built in a temporary index in `scratch`. */
async function buildTree(repo: GitRepository, baseCommit: string, files: readonly ChangedFile[], scratch: string): Promise<string> {
  const env = { GIT_INDEX_FILE: join(scratch, 'index') };
  await repo.run(['read-tree', baseCommit], env);
  const modes = await existingModes(repo, env, files);
  // Contents go through files rather than stdin, all hashed by one process; --no-filters stores
  // the bytes as given (no clean filters or line-ending conversion from .gitattributes).
  const blobFiles = await Promise.all(
    files.map(async (file, index) => {
      const blobFile = join(scratch, `blob-${index}`);
      await writeFile(blobFile, file.content, 'utf8');
      return blobFile;
    }),
  );
  const blobs = (await repo.run(['hash-object', '-w', '--no-filters', '--', ...blobFiles])).trim().split('\n');
  if (blobs.length !== files.length)
    throw new ScmError(`git hash-object gave ${blobs.length} ids for ${files.length} files in repository "${repo.name}"`);
  const update = ['update-index', '--add'];
  files.forEach((file, index) => {
    update.push('--cacheinfo', `${modes.get(file.path) ?? '100644'},${blobs[index] ?? ''},${file.path}`);
  });
  await repo.run(update, env);
  return (await repo.run(['write-tree'], env)).trim();
}

/** Modes of the files that already exist in the base; a symlink or submodule there is refused. */
async function existingModes(
  repo: GitRepository,
  env: Record<string, string>,
  files: readonly ChangedFile[],
): Promise<Map<string, string>> {
  // Paths are literal: the runner sets GIT_LITERAL_PATHSPECS.
  const listed = await repo.run(['ls-files', '--stage', '-z', '--', ...files.map((file) => file.path)], env);
  const modes = new Map<string, string>();
  for (const entry of listed.split('\0')) {
    const match = /^(\d{6}) [0-9a-f]+ \d+\t(.*)$/s.exec(entry);
    if (match === null) continue;
    const [, mode = '', path = ''] = match;
    // The pathspec also matches files under a directory of that name; update-index refuses those.
    if (!files.some((file) => file.path === path)) continue;
    if (!FILE_MODES.has(mode)) {
      throw new ScmError(
        `refusing to write ${JSON.stringify(path)} in repository "${repo.name}": it is a ${mode === '120000' ? 'symlink' : 'submodule'} on the base branch`,
        { userFacing: true },
      );
    }
    modes.set(path, mode);
  }
  return modes;
}

/**
 * Points `refs/heads/<branch>` at a commit holding `tree`: created from the base, or on top of the
 * current head when that holds another tree and belongs to the same owner; when the base moved since
 * the branch was written, the base is the commit's second parent (the branch is based on it again,
 * still a fast-forward). The `update-ref` compares
 * and swaps, so a concurrent writer makes it fail; then it looks again once (the winner may already
 * hold the same tree, or be another owner).
 */
async function moveBranch(
  repo: GitRepository,
  input: PullRequestInput,
  { baseCommit, tree, scratch, identity }: { baseCommit: string; tree: string; scratch: string; identity: Record<string, string> },
): Promise<MovedBranch> {
  const ref = `refs/heads/${input.branch}`;
  const absent = '0'.repeat(baseCommit.length);
  // The message goes through a file: it is free text from a finding, never an argument.
  const message = join(scratch, 'message');
  await writeFile(message, input.commitMessage, 'utf8');
  let lost: unknown;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const head = await repo.branchHead(input.branch);
    if (head !== undefined) {
      const tip = await readCommit(repo, head);
      checkBranchOwner({ repository: repo.name, branch: input.branch, commit: head }, tip.message, input.owner);
      if (tip.tree === tree) return { commit: head, created: false, updated: false };
    }
    const parents = head === undefined ? [baseCommit] : (await repo.isAncestor(baseCommit, head)) ? [head] : [head, baseCommit];
    // --no-gpg-sign: cloudmend's commits are not the user's to sign, and signing could prompt.
    const commit = (
      await repo.run(['commit-tree', '--no-gpg-sign', tree, ...parents.flatMap((p) => ['-p', p]), '-F', message], identity)
    ).trim();
    try {
      await repo.run(['update-ref', '-m', 'cloudmend: open pull request', ref, commit, head ?? absent]);
      return { commit, created: head === undefined, updated: head !== undefined };
    } catch (error) {
      if (
        !(error instanceof TransientScmError) &&
        !/reference already exists|but expected/.test(error instanceof Error ? error.message : '')
      )
        throw error;
      lost = error;
    }
  }
  // A lock still held after the retry says so itself.
  if (lost instanceof TransientScmError) throw lost;
  throw new TransientScmError(
    `branch "${input.branch}" of repository "${repo.name}" was moved by another process twice while cloudmend was updating it; retry`,
    { cause: lost },
  );
}
