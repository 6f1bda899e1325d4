/**
 * Pushing a commit to a repository's origin without the repository's configuration taking part.
 * Only the URL is read from it (`git remote get-url --push origin`, its insteadOf rewrites applied),
 * and only https, ssh and local paths are accepted. The push itself runs in a scratch bare
 * repository cloudmend creates, which borrows the commit's objects through `objects/info/alternates`:
 * the target's remote, http, url, credential and hook settings are never read, so none of them can
 * pick a proxy, a certificate, a helper or a program. A local origin's receive-pack runs with the
 * hardened config too (git-hardening.ts). Before pushing, origin's branch is read into that scratch
 * repository (ls-remote, then a fetch whose objects are checked): its content is untrusted and only
 * compared (trees) and its commit messages only searched for cloudmend's trailer (pushToOrigin).
 *
 * Credentials: ssh uses the user's ssh (keys, agent, ~/.ssh/config) without prompting; https uses
 * the `credential.*` entries of the user's global git config only (GIT_CONFIG_GLOBAL, else
 * ~/.config/git/config and ~/.gitconfig), never the repository's or the system's.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { checkBranchOwner } from './branch-owner.js';
import { BranchOwnershipError, ScmError, TransientScmError } from './errors.js';
import { GitRepository } from './git.js';
import { hardenedRemoteProgram, type ConfigPair } from './git-hardening.js';
import type { BranchOwner, PullRequestResult } from './port.js';

/** How a push reaches origin: the transports cloudmend allows. */
export type PushTransport = 'https' | 'ssh' | 'file';

const URL_SCHEMES: Readonly<Partial<Record<string, PushTransport>>> = {
  https: 'https',
  ssh: 'ssh',
  'git+ssh': 'ssh',
  'ssh+git': 'ssh',
  file: 'file',
};

/**
 * The transport of `url` as git would pick it, or undefined for anything else: remote helpers
 * (`ext::…` runs a command, `fd::`, `<vcs>::…`), plain http, git://, and names git would take for
 * options. Local paths and scp-like `[user@]host:path` follow git's own rule (a colon before any slash).
 */
export function pushTransport(url: string): PushTransport | undefined {
  // eslint-disable-next-line no-control-regex -- a URL with control characters is refused, not read
  if (url.includes('::') || url.startsWith('-') || /[\0-\x1f\x7f]/.test(url)) return undefined;
  const [, scheme, rest = ''] = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is.exec(url) ?? [];
  // A host (or user) that starts with a dash would reach ssh as an option.
  if (rest.startsWith('-')) return undefined;
  if (scheme !== undefined) return URL_SCHEMES[scheme.toLowerCase()];
  const colon = url.indexOf(':');
  const slash = url.indexOf('/');
  if (colon < 0 || (slash >= 0 && slash < colon)) return 'file';
  // scp-like: a host name (optionally user@), never one that starts with a dash.
  return /^(?:[^@/\s]+@)?[A-Za-z0-9_.]+[A-Za-z0-9_.-]*$/.test(url.slice(0, colon)) ? 'ssh' : undefined;
}

/** `url` fit to show: a password in it hidden, quoted, at most 200 characters. */
function shownUrl(url: string): string {
  const hidden = url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
  return JSON.stringify(hidden.length > 200 ? `${hidden.slice(0, 200)}…` : hidden);
}

/** The single push URL of the repository's origin, checked; user-facing errors otherwise. */
async function originUrl(repo: GitRepository): Promise<{ url: string; transport: PushTransport }> {
  let listed: string;
  try {
    listed = await repo.run(['remote', 'get-url', '--push', '--all', 'origin']);
  } catch (error) {
    const detail = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    if (!/no such remote/i.test(detail)) throw error;
    throw new ScmError(
      `repository "${repo.name}" has no remote "origin" to push to: add one (git remote add origin <url>), ` + 'or run without --push',
      { cause: error, userFacing: true },
    );
  }
  const urls = listed.split('\n').filter((line) => line !== '');
  const [url] = urls;
  if (url === undefined || urls.length > 1) {
    const message = `repository "${repo.name}": origin has ${urls.length} push URLs; cloudmend pushes to exactly one`;
    throw new ScmError(message, { userFacing: true });
  }
  const transport = pushTransport(url);
  if (transport === undefined) {
    throw new ScmError(
      `refusing to push to origin of repository "${repo.name}": its URL ${shownUrl(url)} is not https, ssh or a ` +
        'local path (remote helpers such as ext:: run commands, and plain http and git:// are not authenticated); ' +
        'set origin to an https or ssh URL',
      { userFacing: true },
    );
  }
  // A relative local path is relative to the repository, as for git run there.
  const relative = transport === 'file' && !isAbsolute(url) && !/^file:/i.test(url);
  return { url: relative ? resolve(repo.path, url) : url, transport };
}

/** The user's global git config files, as git reads them (later ones win). */
function globalConfigFiles(env: NodeJS.ProcessEnv): string[] {
  const explicit = env.GIT_CONFIG_GLOBAL;
  const home = env.HOME ?? homedir();
  const xdg = join(env.XDG_CONFIG_HOME || join(home, '.config'), 'git', 'config');
  const files = explicit !== undefined ? [explicit] : [xdg, join(home, '.gitconfig')];
  return files.filter((file) => file !== '/dev/null' && existsSync(file));
}

/**
 * The `credential.*` entries of the user's global git config (GIT_CONFIG_GLOBAL, else
 * `$XDG_CONFIG_HOME/git/config` and `~/.gitconfig`, with what they include), in order: the helpers a
 * push over https uses. Read with `git config --file`, in `scratch`, one of cloudmend's repositories.
 */
export async function userCredentialConfig(scratch: GitRepository, env: NodeJS.ProcessEnv): Promise<ConfigPair[]> {
  const pairs: ConfigPair[] = [];
  for (const file of globalConfigFiles(env)) {
    const read = ['config', '--file', file, '--includes', '--null', '--get-regexp', '^credential\\.'];
    const listing = await scratch.run(read);
    for (const entry of listing.split('\0')) {
      const newline = entry.indexOf('\n');
      if (entry !== '') pairs.push(newline < 0 ? [entry, ''] : [entry.slice(0, newline), entry.slice(newline + 1)]);
    }
  }
  return pairs;
}

const AUTH_FAILURE = new RegExp(
  [
    'could not read (?:Username|Password)',
    'Authentication failed',
    'terminal prompts disabled',
    'Permission denied \\(',
    'Host key verification failed',
  ].join('|'),
  'i',
);

/** What to say when git failed to push: its message, and for missing credentials where cloudmend takes them. */
export function pushFailureMessage(repository: string, branch: string, detail: string): string {
  const hint = AUTH_FAILURE.test(detail)
    ? ' (cloudmend pushes over ssh with your ssh keys and agent, and over https with the credential helpers of ' +
      "your global git config, never the repository's: set one up, e.g. gh auth setup-git, or push yourself: " +
      `git push origin ${branch})`
    : '';
  return `pushing branch "${branch}" of repository "${repository}" to origin failed: ${detail}${hint}`;
}

/** What a push found on origin and did: {@link pushToOrigin}. */
export type OriginOutcome = NonNullable<PullRequestResult['origin']>;

/** A commit to push as `branch`, based on `base` (`name` there, at `commit` here), for `owner`. */
export interface PushRequest {
  readonly commit: string;
  readonly branch: string;
  readonly base: { readonly name: string; readonly commit: string };
  readonly owner: BranchOwner;
}

/** Origin as seen from a scratch repository that borrows the target's objects (see the top of this file). */
export interface Origin {
  /**
   * Where origin's `branches` point now, their commits fetched into the scratch repository (absent
   * ones are left out); `have`, a local commit, tells origin what need not be sent.
   */
  read(branches: readonly string[], have: string): Promise<Map<string, string>>;
  /** Sets origin's `branch` to `commit` only if it still points at `seen` (undefined: only if absent). */
  push(commit: string, branch: string, seen: string | undefined): Promise<void>;
  /** The scratch repository: the target's objects and what `read` fetched. */
  readonly scratch: GitRepository;
}

// A branch cloudmend writes has one commit per update of its change: more than this beyond the base is not its own.
const MAX_OWN_COMMITS = 200;
const FETCHED = 'refs/cloudmend/origin/';

/**
 * Runs `work` with origin of `repo`, reached from a scratch repository removed afterwards. User-facing
 * errors say what to do: a refused URL, a rejected push (with git's message), missing credentials;
 * a branch that moved on origin between `read` and `push` is a `TransientScmError` (run again).
 */
export async function withOrigin<T>(
  repo: GitRepository,
  work: (origin: Origin) => Promise<T>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  const { url, transport } = await originUrl(repo);
  const facts = await repo.run(['rev-parse', '--show-object-format', '--git-path', 'objects']);
  const [format = '', ...path] = facts.split('\n').slice(0, -1);
  const objects = resolve(repo.path, path.join('\n'));
  // objects/info/alternates holds one path a line.
  if (path.length !== 1) {
    const message = `repository "${repo.name}": its object directory ${JSON.stringify(objects)} cannot be borrowed`;
    throw new ScmError(message, { userFacing: true });
  }
  const dir = await mkdtemp(join(tmpdir(), 'cloudmend-push-'));
  let branch = '';
  try {
    const scratch = await GitRepository.create(dir, ['--bare', `--object-format=${format}`]);
    await writeFile(join(dir, 'objects', 'info', 'alternates'), `${objects}\n`);
    const credentials = transport === 'https' ? await userCredentialConfig(scratch, env) : [];
    const program = (name: 'receive-pack' | 'upload-pack'): string[] =>
      transport === 'file' ? [`--${name}=${hardenedRemoteProgram(name)}`] : [];
    const origin: Origin = {
      scratch,
      async read(branches, have) {
        branch = branches[0] ?? '';
        const refs = branches.map((b) => `refs/heads/${b}`);
        // ls-remote matches the tails of names: only exact ones count.
        const listed = (await scratch.run(['ls-remote', ...program('upload-pack'), url, ...refs], {}, credentials)).split('\n');
        const present = refs.filter((ref) => listed.some((line) => line.endsWith(`\t${ref}`)));
        if (present.length === 0) return new Map();
        // The scratch repository's refs are what a fetch tells origin it has.
        await scratch.run(['update-ref', `${FETCHED}local`, have]);
        // Origin's objects are untrusted: checked as they arrive.
        const fetch = ['fetch', ...program('upload-pack'), url, ...present.map((ref) => `+${ref}:${FETCHED}${ref}`)];
        await scratch.run(fetch, {}, [...credentials, ['fetch.fsckObjects', 'true']]);
        const seen = new Map<string, string>();
        for (const ref of present)
          seen.set(ref.slice('refs/heads/'.length), (await scratch.run(['rev-parse', '--verify', `${FETCHED}${ref}^{commit}`])).trim());
        return seen;
      },
      async push(commit, target, seen) {
        branch = target;
        const lease = `--force-with-lease=refs/heads/${target}:${seen ?? ''}`;
        try {
          await scratch.run(['push', ...program('receive-pack'), lease, url, `${commit}:refs/heads/${target}`], {}, credentials);
        } catch (error) {
          const detail = error instanceof ScmError && error.cause instanceof Error ? error.cause.message : '';
          if (!/\(stale info\)/.test(detail)) throw error;
          const was = seen === undefined ? 'absent' : `at ${seen.slice(0, 12)}`;
          throw new TransientScmError(
            `branch "${target}" on origin of repository "${repo.name}" moved while cloudmend pushed to it (it was ${was} when read); ` +
              'nothing was overwritten: run again, and cloudmend looks at the branch anew',
            { cause: error },
          );
        }
      },
    };
    return await work(origin);
  } catch (error) {
    if (error instanceof TransientScmError || (error instanceof ScmError && error.userFacing)) throw error;
    const detail = error instanceof ScmError && error.cause instanceof Error ? error.cause.message : String(error);
    throw new ScmError(pushFailureMessage(repo.name, branch, detail), { cause: error, userFacing: true });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Pushes `request.commit` to `refs/heads/<branch>` of the repository's origin, after reading what
 * origin's branch holds: absent or behind the commit, it is pushed (`pushed`); holding the same
 * tree (the same change, written by another ledger), it is left as it is (`identical`); holding
 * another change, it is replaced (`updated`) only if every commit on it beyond the base names
 * `request.owner` in its trailer, never when someone else pushed to it (`BranchOwnershipError`).
 * Every push is leased to what was read: a branch moved since then is not overwritten.
 */
export async function pushToOrigin(
  repo: GitRepository,
  request: PushRequest,
  env: NodeJS.ProcessEnv = process.env,
): Promise<OriginOutcome> {
  const { commit, branch, base, owner } = request;
  return withOrigin(
    repo,
    async (origin) => {
      const seen = await origin.read([branch, base.name], commit);
      const head = seen.get(branch);
      const { scratch } = origin;
      if (head !== undefined && head !== commit && !(await scratch.isAncestor(head, commit))) {
        const tree = async (ref: string): Promise<string> => (await scratch.run(['rev-parse', '--verify', `${ref}^{tree}`])).trim();
        if ((await tree(head)) === (await tree(commit))) return 'identical';
        const originBase = seen.get(base.name);
        await checkOriginBranch(
          scratch,
          { repository: repo.name, branch, head },
          [commit, ...(originBase === undefined ? [] : [originBase])],
          owner,
        );
        await origin.push(commit, branch, head);
        return 'updated';
      }
      if (head !== commit) await origin.push(commit, branch, head);
      return 'pushed';
    },
    env,
  );
}

/**
 * Refuses origin's `branch` at `head` unless its last commit, and every commit on it that `bases`
 * do not reach (at most {@link MAX_OWN_COMMITS}), names `owner` in its trailer.
 */
async function checkOriginBranch(
  scratch: GitRepository,
  where: { readonly repository: string; readonly branch: string; readonly head: string },
  bases: readonly string[],
  owner: BranchOwner,
): Promise<void> {
  const read = async (args: readonly string[]): Promise<{ commit: string; message: string }[]> =>
    (await scratch.run(['rev-list', '--no-commit-header', '--format=%H%n%B%x00', ...args]))
      .split('\0')
      .map((entry) => entry.replace(/^\n/, ''))
      .filter((entry) => entry !== '')
      .map((entry) => ({ commit: entry.slice(0, entry.indexOf('\n')), message: entry.slice(entry.indexOf('\n') + 1) }));
  const tip = await read(['--max-count=1', where.head]);
  const commits = await read([`--max-count=${MAX_OWN_COMMITS + 1}`, where.head, '--not', ...bases]);
  for (const { commit, message } of [...tip, ...commits.filter((c) => c.commit !== where.head)]) {
    const place = { repository: where.repository, branch: where.branch, commit, onOrigin: true, last: commit === where.head };
    checkBranchOwner(place, message, owner);
  }
  if (commits.length > MAX_OWN_COMMITS) {
    throw new BranchOwnershipError(
      `refusing to replace branch "${where.branch}" on origin of repository "${where.repository}": it has more than ${MAX_OWN_COMMITS} ` +
        'commits beyond the base, more than cloudmend writes; merge or close its pull request and delete the branch on origin ' +
        `(git push origin --delete ${where.branch}), then run again`,
      { userFacing: true },
    );
  }
}
