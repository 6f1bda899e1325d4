/**
 * Running git plumbing against a configured repository on disk. Every command runs with a cleaned
 * environment, so nothing inherited (a `GIT_DIR` or `GIT_INDEX_FILE` from a hook, an editor, a
 * pager) can point git at the user's index or make it run a program, and git cannot wander up from
 * a configured path that is not itself a repository into an enclosing one.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { ScmError, TransientScmError } from './errors.js';

/** Where a configured repository lives and which branch pull requests are based on. */
export interface RepositoryConfig {
  /** A working tree or a bare repository (its top level, not a subdirectory). */
  readonly path: string;
  readonly defaultBranch: string;
}

const execFileAsync = promisify(execFile);
/** What one command may print: a tree listing of a large repository fits. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

// They make git run programs (an editor, a pager, an askpass helper): dropped from the inherited set.
const GUARDED_VARIABLES = new Set(['editor', 'visual', 'pager', 'prefix', 'ssh_askpass']);

function isGitVariable(name: string): boolean {
  return name.toLowerCase().startsWith('git_');
}

function inheritedEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !isGitVariable(name) && !GUARDED_VARIABLES.has(name.toLowerCase())) env[name] = value;
  }
  return env;
}

/** A configured repository, checked to exist as a directory; git itself says whether it is a repository. */
export class GitRepository {
  readonly name: string;
  readonly path: string;
  readonly defaultBranch: string;
  private readonly env: Record<string, string>;

  private constructor(name: string, path: string, defaultBranch: string) {
    this.name = name;
    this.path = path;
    this.defaultBranch = defaultBranch;
    this.env = {
      ...inheritedEnvironment(),
      // Error messages are matched (lock files, lost ref races) and quoted to the user in English.
      LC_ALL: 'C',
      // A configured path that is not a repository must fail, not resolve to an enclosing one.
      GIT_CEILING_DIRECTORIES: dirname(path),
      // Never wait for credentials on a terminal nobody watches.
      GIT_TERMINAL_PROMPT: '0',
    };
  }

  /** The repository configured as `name`; a user-facing error when it is not configured or not a directory. */
  static open(repositories: Readonly<Record<string, RepositoryConfig>>, name: string): GitRepository {
    const config = Object.hasOwn(repositories, name) ? repositories[name] : undefined;
    if (config === undefined) {
      const known = Object.keys(repositories).sort().join(', ') || '(none)';
      throw new ScmError(`repository "${name}" is not configured (configured: ${known})`, { userFacing: true });
    }
    let path: string;
    try {
      path = realpathSync(config.path);
    } catch (error) {
      throw new ScmError(`repository "${name}": ${config.path} does not exist`, { cause: error, userFacing: true });
    }
    if (!statSync(path).isDirectory()) throw new ScmError(`repository "${name}": ${config.path} is not a directory`, { userFacing: true });
    return new GitRepository(name, path, config.defaultBranch);
  }

  /**
   * Runs `git <args>` and returns its standard output; failures become `ScmError`s naming the
   * repository. git is started directly: every argument is cloudmend's own or a value it checked
   * (refs through check-ref-format, paths after `--`, messages from a file), and the environment
   * is the cleaned one. (simple-git would add 50 ms to every command that prints nothing.)
   */
  async run(args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): Promise<string> {
    try {
      const { stdout } = await execFileAsync('git', [...args], { cwd: this.path, env: { ...this.env, ...extraEnv }, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' });
      return stdout;
    } catch (error) {
      const { stderr, stdout, code } = error as { stderr?: unknown; stdout?: unknown; code?: unknown };
      // A quiet non-zero exit is an answer, not a failure (`rev-parse --verify --quiet` of a missing ref).
      if (typeof code === 'number' && (typeof stderr !== 'string' || stderr.trim() === '')) return typeof stdout === 'string' ? stdout : '';
      throw this.failure(args, typeof stderr === 'string' && stderr.trim() !== '' ? new Error(stderr.trim(), { cause: error }) : error);
    }
  }

  /** Starts `git <args>` with piped streams, for commands that stream both ways (`cat-file --batch`). */
  spawn(args: readonly string[]): ChildProcessWithoutNullStreams {
    return spawn('git', args, { cwd: this.path, env: this.env, stdio: 'pipe' });
  }

  /** The commit `refs/heads/<branch>` points at, or undefined when there is no such branch. */
  async branchHead(branch: string): Promise<string | undefined> {
    // --quiet: a missing ref exits 1 without output instead of failing.
    const commit = (await this.run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`])).trim();
    return commit === '' ? undefined : commit;
  }

  /** Like `branchHead`, but a missing branch is a user-facing error. */
  async requireBranch(branch: string): Promise<string> {
    const commit = await this.branchHead(branch);
    if (commit === undefined) throw new ScmError(`repository "${this.name}" (${this.path}) has no branch "${branch}"`, { userFacing: true });
    return commit;
  }

  /** Turns a failed git command into the error cloudmend raises for it. */
  private failure(args: readonly string[], error: unknown): ScmError {
    const detail = (error instanceof Error ? error.message : String(error)).trim();
    const command = `git ${args.find((arg) => !arg.startsWith('-')) ?? ''}`;
    if (/\.lock'?: File exists/.test(detail)) {
      return new TransientScmError(
        `${command} in repository "${this.name}": another git process holds a lock (or one crashed and left it); retry, or remove the lock file once no git process runs: ${detail}`,
        { cause: error },
      );
    }
    if (/not a git repository/i.test(detail)) {
      return new ScmError(`repository "${this.name}": ${this.path} is not a git repository (give the top level of a working tree, or a bare repository)`, { cause: error, userFacing: true });
    }
    if (/dubious ownership/.test(detail)) return new ScmError(`repository "${this.name}": ${detail}`, { cause: error, userFacing: true });
    return new ScmError(`${command} failed in repository "${this.name}": ${detail}`, { cause: error });
  }
}
