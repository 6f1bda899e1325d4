/**
 * What every git process cloudmend starts is told, so that nothing a target repository holds (its
 * `.git/config` and the files that includes, its hooks, `.gitattributes`, `.git/info/attributes`)
 * decides what runs or where git connects. Researched against git-config(1), githooks(5) and git(1)
 * of git 2.39; test/scm/git-hardening.test.ts shows each one win over a repository's config, and each
 * program-starting one start nothing where a plain git run starts the program. Three layers:
 *
 * - {@link HARDENED_CONFIG}, given as `-c key=value` before the subcommand. Command-line config is
 *   read after the repository's, so it wins for single-valued keys, and list-valued keys get their
 *   reset value (an empty `credential.helper` empties the helper list). It does not win where git
 *   takes the first value (`core.gitProxy`, `remote.<name>.uploadpack`, `.receivepack`) or the most
 *   specific URL (`http.<url>.*`, `url.<base>.insteadOf`): those only matter to a transport, and a
 *   target repository gets none (GIT_ALLOW_PROTOCOL is empty); a push runs in a scratch repository
 *   that has none of the target's config (git-push.ts).
 * - {@link repositoryNeutralisers}: keys whose middle part the repository names
 *   (`filter.<driver>.clean`), found in its config and overridden one by one through
 *   `GIT_CONFIG_COUNT` pairs (exact key bytes, where `-c` would split a subsection holding `=`), for
 *   the commands that can start a driver at all (git-commands.ts: diff, add, commit).
 * - {@link hardenedEnvironment}: no inherited `GIT_*` variable, no system or global config or
 *   attributes, no prompts, and a transport allow-list (`GIT_ALLOW_PROTOCOL`) that no config widens.
 */
import { dirname } from 'node:path';

/** A config key and the value cloudmend gives it. */
export type ConfigPair = readonly [key: string, value: string];

/** `-c key=value` for every git command cloudmend runs, in this order. */
export const HARDENED_CONFIG: readonly ConfigPair[] = [
  // Every hook of githooks(5), in .git/hooks or a configured directory: there are none under /dev/null.
  ['core.hooksPath', '/dev/null'],
  // The fsmonitor hook (a program the repository names) and the fsmonitor daemon.
  ['core.fsmonitor', 'false'],
  // Programs for a person at a terminal. ':' is git's "no editor", 'cat' its "no pager"
  // (pager.<command> is a repository key); messages go through files, output through pipes.
  ['core.editor', ':'],
  ['sequence.editor', ':'],
  ['core.pager', 'cat'],
  ['interactive.diffFilter', ''],
  // No askpass program: with GIT_TERMINAL_PROMPT=0 a missing credential fails instead of asking.
  ['core.askPass', ''],
  // External diff (diff.<driver>.command and .textconv are repository keys); content commands
  // also pass --no-ext-diff --no-textconv.
  ['diff.external', ''],
  // Signing and verifying run gpg.program or gpg.<format>.program: cloudmend does neither.
  ['commit.gpgSign', 'false'],
  ['tag.gpgSign', 'false'],
  ['push.gpgSign', 'false'],
  ['log.showSignature', 'false'],
  ['merge.verifySignatures', 'false'],
  ['gpg.program', ''],
  ['gpg.openpgp.program', ''],
  ['gpg.x509.program', ''],
  ['gpg.ssh.program', ''],
  ['gpg.ssh.defaultKeyCommand', ''],
  // No credential helper (the empty value empties the list, per-URL helpers included); a push adds
  // the user's own helpers after this one (git-push.ts).
  ['credential.helper', ''],
  // No transport; GIT_ALLOW_PROTOCOL enforces it (and re-allows https, ssh and file for a push).
  ['protocol.allow', 'never'],
  ['protocol.ext.allow', 'never'],
  // ssh: the user's own ssh and ~/.ssh/config, never waiting on a prompt, arguments as OpenSSH takes them.
  ['core.sshCommand', 'ssh -o BatchMode=yes'],
  ['ssh.variant', 'ssh'],
  // The receiving side of a push to a local origin: the refs of its alternates are not asked of a program.
  ['core.alternateRefsCommand', 'true'],
  // Attributes from the user's home are not read (GIT_ATTR_NOSYSTEM drops the system file); the
  // drivers that in-tree attributes name have their commands neutralised (repositoryNeutralisers).
  ['core.attributesFile', '/dev/null'],
  // Replace refs would have cloudmend read, and commit on top of, other objects than the branch holds.
  ['core.useReplaceRefs', 'false'],
  // Temporary indexes stay self-contained: no shared index files in the repository, no untracked cache.
  ['core.splitIndex', 'false'],
  ['core.untrackedCache', 'false'],
  // No gc or maintenance started in the background in the user's repository or origin.
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
  ['receive.autoGc', 'false'],
  // A push into a local origin never checks files out there (smudge filters, push-to-checkout).
  ['receive.denyCurrentBranch', 'refuse'],
  // A push does only the push: no submodules, no fetch to negotiate, no extra tags or push options.
  ['push.recurseSubmodules', 'no'],
  ['submodule.recurse', 'false'],
  ['push.negotiate', 'false'],
  ['push.followTags', 'false'],
  ['push.pushOption', ''],
];

/**
 * Keys whose middle part the repository chooses, with the value that leaves them inert. Names as
 * `git config --list --name-only` prints them: section and key in lower case, subsection as written.
 */
const REPOSITORY_KEYS: readonly (readonly [pattern: RegExp, value: string])[] = [
  // Drivers that attributes (in the tree or .git/info/attributes) give paths: no command to run.
  // An empty command is either skipped or fails the command; neither runs anything.
  [/^filter\..+\.(?:clean|smudge|process)$/s, ''],
  [/^filter\..+\.required$/s, 'false'],
  [/^diff\..+\.(?:command|textconv)$/s, ''],
  [/^merge\..+\.driver$/s, ''],
  // pager.<command>: never a pager (stdout is never a terminal either).
  [/^pager\.[^.]+$/s, 'false'],
  // Tools of porcelain cloudmend never runs (difftool, mergetool, help, web--browse, git gui).
  [/^(?:difftool|mergetool|man|browser|guitool)\..+\.(?:cmd|path)$/s, ''],
  // Not here: remote.<name>.uploadpack and .receivepack (git takes the first value, so no override
  // wins) and .vcs (no value means "none"). No command in a target repository may use a transport
  // (GIT_ALLOW_PROTOCOL is empty), and a push goes to a URL from a scratch repository without remotes.
];

/** More repository keys than this to neutralise is refused rather than passed in the environment. */
export const MAX_NEUTRALISED_KEYS = 1000;

/** The overrides for the program-valued keys among `names` (a repository's config keys), each once. */
export function repositoryNeutralisers(names: readonly string[]): ConfigPair[] {
  const pairs = new Map<string, string>();
  for (const name of names) {
    const match = REPOSITORY_KEYS.find(([pattern]) => pattern.test(name));
    if (match !== undefined) pairs.set(name, match[1]);
  }
  return [...pairs];
}

/** Transports a push may use; every other command may use none. */
export const PUSH_PROTOCOLS = ['https', 'ssh', 'file'] as const;

// They make git or ssh run a program (an editor, a pager, an askpass helper): dropped from the inherited set.
const GUARDED_VARIABLES = new Set(['editor', 'visual', 'pager', 'prefix', 'ssh_askpass', 'ssh_askpass_require']);

/** Options of {@link hardenedEnvironment}. */
export interface HardenedEnvironmentOptions {
  /** The repository's top level: git must not find an enclosing repository above it. */
  readonly path: string;
  /** Allow the push transports. @default false: no transport at all */
  readonly network?: boolean;
  /** Config read after the repository's and before `-c` (the repository's neutralisers). */
  readonly config?: readonly ConfigPair[];
  /** The environment to start from. @default process.env */
  readonly from?: NodeJS.ProcessEnv;
}

const pair = (part: 'KEY' | 'VALUE', i: number, text: string): [string, string] => [`GIT_CONFIG_${part}_${i}`, text];

/** The environment of a git process: cloudmend's own without GIT_* and program variables, plus the hardening. */
export function hardenedEnvironment(options: HardenedEnvironmentOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.from ?? process.env)) {
    const lower = name.toLowerCase();
    if (value !== undefined && !lower.startsWith('git_') && !GUARDED_VARIABLES.has(lower)) env[name] = value;
  }
  const config = options.config ?? [];
  return {
    ...env,
    // Error messages are matched (lock files, lost ref races) and quoted to the user in English.
    LC_ALL: 'C',
    // A configured path that is not a repository must fail, not resolve to an enclosing one.
    GIT_CEILING_DIRECTORIES: dirname(options.path),
    // Only the repository's config (and what it includes); the user's is not asked (push: git-push.ts).
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
    // Never wait for credentials on a terminal nobody watches.
    GIT_TERMINAL_PROMPT: '0',
    // The exact transport list, over any protocol.* config (a repository's protocol.ext.allow included).
    GIT_ALLOW_PROTOCOL: options.network === true ? PUSH_PROTOCOLS.join(':') : '',
    GIT_PROTOCOL_FROM_USER: '0',
    // core.gitProxy takes the first match, so -c cannot override it; an empty variable does.
    GIT_PROXY_COMMAND: '',
    GIT_NO_REPLACE_OBJECTS: '1',
    // Paths are file names, never pathspec magic such as ":(exclude)".
    GIT_LITERAL_PATHSPECS: '1',
    GIT_CONFIG_COUNT: String(config.length),
    ...Object.fromEntries(config.flatMap(([key, value], i) => [pair('KEY', i, key), pair('VALUE', i, value)])),
  };
}

/** `--no-pager -c key=value …` for {@link HARDENED_CONFIG}, then `extra` (read last, so it wins). */
export function hardenedArguments(extra: readonly ConfigPair[] = []): string[] {
  return ['--no-pager', ...[...HARDENED_CONFIG, ...extra].flatMap(([key, value]) => ['-c', `${key}=${value}`])];
}

/** Quotes `word` for POSIX sh. */
function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The `--receive-pack` (push) or `--upload-pack` (ls-remote, fetch) program for a local origin. git
 * runs it through the shell in the origin with the repository-local variables cleared
 * (GIT_CONFIG_COUNT and the `-c` list too), so the hardened config is spelled out on its command
 * line: the origin is as untrusted as the target.
 */
export function hardenedRemoteProgram(program: 'receive-pack' | 'upload-pack'): string {
  const words = ['git', ...hardenedArguments(), program];
  return words.map((word) => (/^[\w./=-]+$/.test(word) ? word : shellQuote(word))).join(' ');
}
