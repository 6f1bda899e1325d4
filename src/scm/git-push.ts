/**
 * Pushing a commit to a repository's origin without the repository's configuration taking part.
 * Only the URL is read from it (`git remote get-url --push origin`, its insteadOf rewrites applied),
 * and only https, ssh and local paths are accepted. The push itself runs in a scratch bare
 * repository cloudmend creates, which borrows the commit's objects through `objects/info/alternates`:
 * the target's remote, http, url, credential and hook settings are never read, so none of them can
 * pick a proxy, a certificate, a helper or a program. A local origin's receive-pack runs with the
 * hardened config too (git-hardening.ts).
 *
 * Credentials: ssh uses the user's ssh (keys, agent, ~/.ssh/config) without prompting; https uses
 * the `credential.*` entries of the user's global git config only (GIT_CONFIG_GLOBAL, else
 * ~/.config/git/config and ~/.gitconfig), never the repository's or the system's.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ScmError, TransientScmError } from './errors.js';
import { GitRepository } from './git.js';
import { hardenedReceivePack, type ConfigPair } from './git-hardening.js';

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

/**
 * Pushes `commit` to `refs/heads/<branch>` of the repository's origin, never forced. User-facing
 * errors say what to do: a refused URL, a rejected push (with git's message), missing credentials.
 */
export async function pushToOrigin(
  repo: GitRepository,
  commit: string,
  branch: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
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
  try {
    const scratch = await GitRepository.create(dir, ['--bare', `--object-format=${format}`]);
    await writeFile(join(dir, 'objects', 'info', 'alternates'), `${objects}\n`);
    const credentials = transport === 'https' ? await userCredentialConfig(scratch, env) : [];
    const receivePack = transport === 'file' ? [`--receive-pack=${hardenedReceivePack()}`] : [];
    await scratch.run(['push', ...receivePack, url, `${commit}:refs/heads/${branch}`], {}, credentials);
  } catch (error) {
    if (error instanceof TransientScmError || (error instanceof ScmError && error.userFacing)) throw error;
    const detail = error instanceof ScmError && error.cause instanceof Error ? error.cause.message : String(error);
    throw new ScmError(pushFailureMessage(repo.name, branch, detail), { cause: error, userFacing: true });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
