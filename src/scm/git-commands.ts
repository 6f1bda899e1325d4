/**
 * The git subcommands cloudmend runs, and how: an allow-list checked before any process starts.
 * Content is read and written as stored (no filters, textconv or external diff, which are programs
 * that attributes name), the working tree is never written, and only pushes may use a transport.
 */
import { ScmError } from './errors.js';

/** How one subcommand may be run. */
export interface CommandRule {
  /** Options the runner puts right after the subcommand. */
  readonly add?: readonly string[];
  /** False for arguments the command must not be given. @default - any arguments */
  readonly allows?: (args: readonly string[]) => boolean;
  /** Only in a repository cloudmend created itself: the command reads or writes its working tree. */
  readonly ownRepository?: boolean;
  /** Reaches a remote over the push transports. */
  readonly network?: boolean;
  /**
   * Converts or compares content, so it may start a driver that attributes name (a filter, diff or
   * merge driver): the repository's are neutralised first. No other command here starts one.
   */
  readonly drivers?: boolean;
}

const has = (args: readonly string[], option: string): boolean => args.includes(option);
const CONFIG_READS = /^--(?:list|get|get-all|get-regexp)$/;

const COMMANDS: Readonly<Record<string, CommandRule>> = {
  // Objects as stored: --filters and --textconv would run drivers.
  'cat-file': { allows: (args) => !args.some((arg) => /^--(?:filters|textconv)/.test(arg)) },
  'check-ref-format': {},
  // Never signed (gpg.program).
  'commit-tree': { allows: (args) => has(args, '--no-gpg-sign') },
  // Read only.
  config: { allows: (args) => args.some((arg) => CONFIG_READS.test(arg)) },
  diff: {
    drivers: true,
    add: ['--no-textconv', '--no-ext-diff'],
    allows: (args) => !args.some((arg) => /^--(?:textconv|ext-diff)$/.test(arg)),
  },
  // Which paths differ between two commits: names only, no content, no drivers.
  'diff-tree': { allows: (args) => has(args, '--name-only') && !args.some((arg) => /^--(?:textconv|ext-diff)$/.test(arg)) },
  'for-each-ref': {},
  // Bytes as given: --no-filters skips clean filters and line-ending conversion.
  'hash-object': { allows: (args) => has(args, '--no-filters') },
  'ls-files': {},
  // Read only: the commit two histories share (whether one is the other's ancestor).
  'merge-base': { allows: (args) => args.every((arg) => !arg.startsWith('-')) },
  'ls-tree': {},
  // Into an index only: -u would check files out (smudge filters, post-checkout).
  'read-tree': { allows: (args) => !args.some((arg) => /^-[^-]*u/.test(arg)) },
  remote: { allows: (args) => args[0] === 'get-url' },
  'rev-parse': {},
  // Read only: the commits of a branch beyond its base, with their messages (whose trailers name the owner).
  'rev-list': {},
  // Read only: with two names it would point HEAD elsewhere.
  'symbolic-ref': { allows: (args) => args.filter((arg) => !arg.startsWith('-')).length <= 1 },
  // Index entries from object ids only: a path argument would read (and clean-filter) a working-tree file.
  'update-index': {
    allows: (args) => args.every((arg, i) => ['--add', '--cacheinfo'].includes(arg) || args[i - 1] === '--cacheinfo'),
  },
  'update-ref': {},
  worktree: { allows: (args) => args[0] === 'list' },
  'write-tree': {},
  // Repositories cloudmend makes: the demo's and the scratch repository a push runs in.
  init: { ownRepository: true, add: ['--template='] },
  add: { ownRepository: true, drivers: true },
  commit: { ownRepository: true, drivers: true, add: ['--no-verify', '--no-gpg-sign'] },
  push: { ownRepository: true, network: true, add: ['--no-verify', '--no-recurse-submodules'] },
  // What origin's branch holds, read into the scratch repository before a push (git-push.ts).
  'ls-remote': { ownRepository: true, network: true },
  fetch: {
    ownRepository: true,
    network: true,
    add: ['--no-tags', '--no-recurse-submodules', '--no-write-fetch-head', '--no-auto-maintenance'],
  },
};

/**
 * The rule for `git <args>`, whose first element is the subcommand; an error for anything not on
 * the list, given arguments it refuses, or meant for cloudmend's own repositories only.
 */
export function commandRule(args: readonly string[], ownRepository: boolean): CommandRule {
  const [command = '', ...rest] = args;
  const rule = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (rule === undefined) {
    throw new ScmError(`cloudmend does not run "git ${command}" (not on its list of git commands)`);
  }
  if (rule.ownRepository === true && !ownRepository) {
    throw new ScmError(`cloudmend runs "git ${command}" only in repositories it created`);
  }
  if (rule.allows !== undefined && !rule.allows(rest)) {
    throw new ScmError(`cloudmend does not run "git ${command}" with these arguments: ${JSON.stringify(rest)}`);
  }
  return rule;
}
