/**
 * The one way cloudmend starts git. A repository is untrusted input: every command is on the list
 * of git-commands.ts, runs with the hardened config and environment of git-hardening.ts (no hooks,
 * fsmonitor, filters, textconv, pagers, editors, helpers or transports the repository configures),
 * and cannot wander up from a configured path that is not itself a repository into an enclosing one.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { ScmError, TransientScmError } from './errors.js';
import { commandRule } from './git-commands.js';
import { hardenedArguments, hardenedEnvironment, MAX_NEUTRALISED_KEYS, repositoryNeutralisers, type ConfigPair } from './git-hardening.js';

/** Where a configured repository lives and which branch pull requests are based on. */
export interface RepositoryConfig {
  /** A working tree or a bare repository (its top level, not a subdirectory). */
  readonly path: string;
  readonly defaultBranch: string;
}

const execFileAsync = promisify(execFile);
/** What one command may print: a tree listing of a large repository fits. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
/** What callers may add to a command's environment: a temporary index and cloudmend's identity. */
const CALLER_VARIABLES = new Set(['GIT_INDEX_FILE', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL']);
type Environment = Readonly<Record<string, string>>;

/** The environment that makes `author` the author and committer of the commits a command writes. */
export function gitIdentity(author: { readonly name: string; readonly email: string }): Record<string, string> {
  const { name, email } = author;
  return { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email };
}

interface Invocation {
  readonly args: string[];
  readonly env: Record<string, string>;
}

/** A repository on disk, checked to exist as a directory; git itself says whether it is a repository. */
export class GitRepository {
  readonly name: string;
  readonly path: string;
  /** Created by cloudmend in this process: working-tree commands and pushes are allowed. */
  private readonly own: boolean;
  private neutralisers: Promise<readonly ConfigPair[]> | undefined;

  private constructor(name: string, path: string, own: boolean) {
    this.name = name;
    this.path = path;
    this.own = own;
  }

  /** The repository configured as `name`; a user-facing error when it is not configured or not a directory. */
  static open(repositories: Readonly<Record<string, RepositoryConfig>>, name: string): GitRepository {
    const config = Object.hasOwn(repositories, name) ? repositories[name] : undefined;
    if (config === undefined) {
      const known = Object.keys(repositories).sort().join(', ') || '(none)';
      throw new ScmError(`repository "${name}" is not configured (configured: ${known})`, { userFacing: true });
    }
    return GitRepository.at(config.path, name);
  }

  /** The repository at `path` (named `name` in messages); a user-facing error when it is not a directory. */
  static at(path: string, name = path): GitRepository {
    return new GitRepository(name, GitRepository.directory(path, name), false);
  }

  /** Makes a new repository in the existing directory `dir` (`git init <initArgs>`), which cloudmend then owns. */
  static async create(dir: string, initArgs: readonly string[] = []): Promise<GitRepository> {
    const repo = new GitRepository(dir, GitRepository.directory(dir, dir), true);
    await repo.run(['init', '--quiet', ...initArgs]);
    return repo;
  }

  private static directory(path: string, name: string): string {
    let real: string;
    try {
      real = realpathSync(path);
    } catch (error) {
      throw new ScmError(`repository "${name}": ${path} does not exist`, { cause: error, userFacing: true });
    }
    if (!statSync(real).isDirectory()) {
      throw new ScmError(`repository "${name}": ${path} is not a directory`, { userFacing: true });
    }
    return real;
  }

  /**
   * Runs `git <args>` (the subcommand first) and returns its standard output; failures become
   * `ScmError`s naming the repository. git is started directly: every argument is cloudmend's own or
   * a value it checked (refs through check-ref-format, paths after `--`, messages from a file).
   * `env` may set only a temporary index and the identity; `config` is read after the hardened
   * config (a push's credential helpers).
   */
  async run(args: readonly string[], env: Environment = {}, config: readonly ConfigPair[] = []): Promise<string> {
    return this.exec(await this.invocation(args, env, config), args);
  }

  /** Starts `git <args>` with piped streams, for commands that stream both ways (`cat-file --batch`). */
  async spawn(args: readonly string[]): Promise<ChildProcessWithoutNullStreams> {
    const invocation = await this.invocation(args, {}, []);
    return spawn('git', invocation.args, { cwd: this.path, env: invocation.env, stdio: 'pipe' });
  }

  /** The commit `refs/heads/<branch>` points at, or undefined when there is no such branch. */
  async branchHead(branch: string): Promise<string | undefined> {
    // --quiet: a missing ref exits 1 without output instead of failing.
    const commit = (await this.run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`])).trim();
    return commit === '' ? undefined : commit;
  }

  /** Whether `ancestor` is `commit` or reachable from it. */
  async isAncestor(ancestor: string, commit: string): Promise<boolean> {
    // A quiet exit 1 (no common history) prints nothing, which is not `ancestor` either.
    return (await this.run(['merge-base', ancestor, commit])).trim() === ancestor;
  }

  /** The names of the branches under `refs/heads/<prefix>` (`cloudmend/`, or all), sorted. */
  async branches(prefix = ''): Promise<string[]> {
    const refs = await this.run(['for-each-ref', '--format=%(refname)', `refs/heads/${prefix}`]);
    return refs
      .split('\n')
      .filter((ref) => ref !== '')
      .map((ref) => ref.slice('refs/heads/'.length));
  }

  /** Like `branchHead`, but a missing branch is a user-facing error. */
  async requireBranch(branch: string): Promise<string> {
    const commit = await this.branchHead(branch);
    if (commit === undefined)
      throw new ScmError(`repository "${this.name}" (${this.path}) has no branch "${branch}"`, { userFacing: true });
    return commit;
  }

  private async invocation(args: readonly string[], env: Environment, config: readonly ConfigPair[]): Promise<Invocation> {
    const rule = commandRule(args, this.own);
    const unknown = Object.keys(env).find((name) => !CALLER_VARIABLES.has(name));
    if (unknown !== undefined) throw new ScmError(`cloudmend does not give git the variable ${unknown}`);
    // -c splits at the first "=": such a key would set another one.
    const split = config.find(([key]) => key.includes('='));
    if (split !== undefined) {
      const key = JSON.stringify(split[0]);
      throw new ScmError(`git config key ${key} holds "=" and cannot be given with -c`, { userFacing: true });
    }
    const [command = '', ...rest] = args;
    const neutralisers = rule.drivers === true ? await this.repositoryConfig() : [];
    return {
      args: [...hardenedArguments(config), command, ...(rule.add ?? []), ...rest],
      env: { ...hardenedEnvironment({ path: this.path, network: rule.network, config: neutralisers }), ...env },
    };
  }

  /** Overrides for the program-valued keys the repository's config names (drivers, pagers, tools), read once. */
  private repositoryConfig(): Promise<readonly ConfigPair[]> {
    const args = ['config', '--list', '--name-only', '-z'];
    const listing = { args: [...hardenedArguments(), ...args], env: hardenedEnvironment({ path: this.path }) };
    this.neutralisers ??= this.exec(listing, args).then((names) => {
      const pairs = repositoryNeutralisers(names.split('\0').filter((name) => name !== ''));
      if (pairs.length > MAX_NEUTRALISED_KEYS) {
        throw new ScmError(
          `repository "${this.name}": its git config sets ${pairs.length} program-running keys (filter, diff or ` +
            `merge drivers, pagers, tools); cloudmend neutralises at most ${MAX_NEUTRALISED_KEYS}: remove them`,
          { userFacing: true },
        );
      }
      return pairs;
    });
    return this.neutralisers;
  }

  private async exec(invocation: Invocation, args: readonly string[]): Promise<string> {
    try {
      const options = { cwd: this.path, env: invocation.env, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' } as const;
      const running = execFileAsync('git', invocation.args, options);
      // Nothing git starts can wait for input.
      running.child.stdin?.end();
      return (await running).stdout;
    } catch (error) {
      const { stderr, stdout, code } = error as { stderr?: unknown; stdout?: unknown; code?: unknown };
      // A quiet non-zero exit is an answer, not a failure (`rev-parse --verify --quiet` of a missing ref).
      if (typeof code === 'number' && (typeof stderr !== 'string' || stderr.trim() === '')) return typeof stdout === 'string' ? stdout : '';
      throw this.failure(args, typeof stderr === 'string' && stderr.trim() !== '' ? new Error(stderr.trim(), { cause: error }) : error);
    }
  }

  /** Turns a failed git command into the error cloudmend raises for it. */
  private failure(args: readonly string[], error: unknown): ScmError {
    const detail = (error instanceof Error ? error.message : String(error)).trim();
    const command = `git ${args[0] ?? ''}`;
    if (/\.lock'?: File exists/.test(detail)) {
      return new TransientScmError(
        `${command} in repository "${this.name}": another git process holds a lock (or one crashed and left it); retry, or remove the lock file once no git process runs: ${detail}`,
        { cause: error },
      );
    }
    if (/not a git repository/i.test(detail)) {
      return new ScmError(
        `repository "${this.name}": ${this.path} is not a git repository (give the top level of a working tree, or a bare repository)`,
        { cause: error, userFacing: true },
      );
    }
    if (/dubious ownership/.test(detail)) {
      // git's own advice (safe.directory in the global config) does not apply: cloudmend reads no global config.
      return new ScmError(
        `repository "${this.name}": ${this.path} is owned by another user, and git refuses to read it; ` +
          'run cloudmend as its owner, or give a copy you own',
        { cause: error, userFacing: true },
      );
    }
    return new ScmError(`${command} failed in repository "${this.name}": ${detail}`, { cause: error });
  }
}
