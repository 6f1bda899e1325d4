/**
 * A hostile target repository, built with the git CLI: every hook git knows, a configured hooks
 * directory, an fsmonitor, filter/diff/merge drivers that `.gitattributes` and `.git/info/attributes`
 * name, an included config file that sets ssh, pager, editor, askpass, credential, gpg and remote
 * programs, and an `origin` that is a local bare repository with hooks and programs of its own.
 * Every program is a script that leaves a marker file: after cloudmend ran, there must be none.
 */
import { execFileSync, type ExecFileSyncOptionsWithStringEncoding } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Every hook of githooks(5) in git 2.39. */
export const HOOKS = [
  'applypatch-msg',
  'pre-applypatch',
  'post-applypatch',
  'pre-commit',
  'pre-merge-commit',
  'prepare-commit-msg',
  'commit-msg',
  'post-commit',
  'pre-rebase',
  'post-checkout',
  'post-merge',
  'pre-push',
  'pre-receive',
  'update',
  'proc-receive',
  'post-receive',
  'post-update',
  'reference-transaction',
  'push-to-checkout',
  'pre-auto-gc',
  'post-rewrite',
  'sendemail-validate',
  'fsmonitor-watchman',
  'p4-changelist',
  'p4-prepare-changelist',
  'p4-post-changelist',
  'p4-pre-submit',
  'post-index-change',
] as const;

const ATTRIBUTES = '* filter=evil diff=evil merge=evil\n';

/** git as a person runs it, without anyone's config; identity for the fixture's own commits. */
export const PLAIN_GIT_ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GIT_'))),
  GIT_AUTHOR_NAME: 'Test User',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test User',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** Runs plain git in `cwd` (before any hostile config is in place, or to look at the result). */
export function plainGit(cwd: string, ...args: string[]): string {
  const options: ExecFileSyncOptionsWithStringEncoding = { cwd, env: PLAIN_GIT_ENV, encoding: 'utf8', stdio: 'pipe' };
  return execFileSync('git', args, options).trim();
}

/** Marker programs under `dir`: each appends its arguments to `dir/out/<name>` and fails. */
export class Markers {
  readonly bin: string;
  private readonly out: string;

  constructor(readonly dir: string) {
    this.bin = join(dir, 'bin');
    this.out = join(dir, 'out');
    mkdirSync(this.bin, { recursive: true });
    mkdirSync(this.out, { recursive: true });
  }

  /** The path of a marker program named `name` (created once). */
  program(name: string): string {
    const path = join(this.bin, name);
    writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${join(this.out, name)}'\nexit 1\n`);
    chmodSync(path, 0o755);
    return path;
  }

  /** A directory holding every hook of {@link HOOKS} as a marker program `<prefix><hook>`. */
  hooks(dir: string, prefix: string): string {
    mkdirSync(dir, { recursive: true });
    for (const hook of HOOKS) {
      writeFileSync(join(dir, hook), `#!/bin/sh\nexec '${this.program(`${prefix}${hook}`)}' "$@"\n`);
      chmodSync(join(dir, hook), 0o755);
    }
    return dir;
  }

  /** Names of the markers written so far. */
  written(): string[] {
    return readdirSync(this.out).sort();
  }
}

/** Appends `text` (git config syntax) to the config file `file`. */
export function appendConfig(file: string, text: string): void {
  appendFileSync(file, `\n${text.trim()}\n`);
}

export interface HostileRepository {
  /** The working tree of the target repository. */
  readonly repo: string;
  /** Its `origin`: a local bare repository, as hostile. */
  readonly origin: string;
  readonly markers: Markers;
}

/** The config every hostile repository carries, each program a marker named after its key. */
function hostileConfig(m: Markers, prefix: string, include: string): string {
  return `
[core]
	hooksPath = ${m.hooks(join(m.dir, `${prefix}hooks`), `${prefix}hooksPath-`)}
	fsmonitor = ${m.program(`${prefix}core.fsmonitor`)}
	alternateRefsCommand = ${m.program(`${prefix}core.alternateRefsCommand`)}
[filter "evil"]
	clean = ${m.program(`${prefix}filter.clean`)}
	smudge = ${m.program(`${prefix}filter.smudge`)}
	process = ${m.program(`${prefix}filter.process`)}
	required = true
[diff "evil"]
	textconv = ${m.program(`${prefix}diff.textconv`)}
	command = ${m.program(`${prefix}diff.command`)}
[merge "evil"]
	driver = ${m.program(`${prefix}merge.driver`)}
[receive]
	denyCurrentBranch = updateInstead
[include]
	path = ${include}
`;
}

/** Programs set in a file the repository's config includes. */
function includedConfig(m: Markers, prefix: string): string {
  return `
[core]
	sshCommand = ${m.program(`${prefix}core.sshCommand`)}
	pager = ${m.program(`${prefix}core.pager`)}
	editor = ${m.program(`${prefix}core.editor`)}
	askPass = ${m.program(`${prefix}core.askPass`)}
	gitProxy = ${m.program(`${prefix}core.gitProxy`)}
[sequence]
	editor = ${m.program(`${prefix}sequence.editor`)}
[diff]
	external = ${m.program(`${prefix}diff.external`)}
[credential]
	helper = ${m.program(`${prefix}credential.helper`)}
[gpg]
	program = ${m.program(`${prefix}gpg.program`)}
[commit]
	gpgSign = true
[uploadpack]
	packObjectsHook = ${m.program(`${prefix}uploadpack.packObjectsHook`)}
[protocol "ext"]
	allow = always
[remote "origin"]
	receivepack = ${m.program(`${prefix}remote.receivepack`)}
	uploadpack = ${m.program(`${prefix}remote.uploadpack`)}
`;
}

/**
 * Builds the hostile repository under `root` with `files` committed on `main` (with a
 * `.gitattributes` giving every path the evil drivers), then arms it: the commit is made first,
 * so that building it starts none of the programs.
 */
export function hostileRepository(root: string, files: Readonly<Record<string, string>>): HostileRepository {
  const repo = join(root, 'repo');
  const origin = join(root, 'origin.git');
  const markers = new Markers(join(root, 'markers'));
  mkdirSync(repo, { recursive: true });
  plainGit(repo, 'init', '--quiet', '--initial-branch=main');
  for (const [path, content] of Object.entries({ ...files, '.gitattributes': ATTRIBUTES })) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  plainGit(repo, 'add', '--all');
  plainGit(repo, 'commit', '--quiet', '--no-verify', '-m', 'initial');
  plainGit(root, 'clone', '--quiet', '--bare', repo, origin);
  plainGit(repo, 'remote', 'add', 'origin', origin);

  markers.hooks(join(repo, '.git', 'hooks'), 'hook-');
  writeFileSync(join(repo, '.git', 'info', 'attributes'), ATTRIBUTES);
  writeFileSync(join(root, 'included.config'), includedConfig(markers, ''));
  appendConfig(join(repo, '.git', 'config'), hostileConfig(markers, '', join(root, 'included.config')));

  markers.hooks(join(origin, 'hooks'), 'origin-hook-');
  // Alternates make a receiving origin ask core.alternateRefsCommand for their refs.
  writeFileSync(join(origin, 'objects', 'info', 'alternates'), `${join(repo, '.git', 'objects')}\n`);
  writeFileSync(join(root, 'origin-included.config'), includedConfig(markers, 'origin-'));
  appendConfig(join(origin, 'config'), hostileConfig(markers, 'origin-', join(root, 'origin-included.config')));
  return { repo, origin, markers };
}
