/**
 * Each program-starting setting a repository can hold, against the hardened config and environment
 * (git-hardening.ts): a git command that starts the program in a plain run (the control, so the
 * case cannot pass by not triggering anything) starts nothing in the hardened run.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HARDENED_CONFIG,
  hardenedArguments,
  hardenedEnvironment,
  hardenedRemoteProgram,
  repositoryNeutralisers,
} from '../../src/scm/git-hardening.js';
import { gitIdentity } from '../../src/scm/git.js';
import { appendConfig, Markers, PLAIN_GIT_ENV, plainGit } from '../support/hostile-repo.js';

type Pairs = readonly (readonly [key: string, value: string])[];

interface Case {
  readonly name: string;
  /** Config added to the repository's; may write files (an included one) under `m.dir`. */
  readonly config?: (m: Markers, repo: string) => Pairs;
  /** Files, hooks or refs the case needs, made before the config is in place. */
  readonly setup?: (repo: string, m: Markers) => void;
  readonly command: readonly string[];
  /** The command of the hardened run when cloudmend gives it more (a push's receive-pack). */
  readonly hardened?: readonly string[];
  readonly input?: string;
  /** Run with the push transports allowed. */
  readonly network?: boolean;
  /** Needs a terminal (pagers): run under script(1). */
  readonly tty?: boolean;
  /** The marker the plain run must write. @default - any */
  readonly expects?: string;
}

/** `key = value` in git config syntax: `[section "subsection"]` and the name. */
function configText(key: string, value: string): string {
  const parts = key.split('.');
  const subsection = parts.slice(1, -1).join('.');
  return `[${parts[0] ?? ''}${subsection === '' ? '' : ` "${subsection}"`}]\n\t${parts.at(-1) ?? ''} = ${value}\n`;
}

const file = (dir: string, name: string, text: string): void => writeFileSync(join(dir, name), text);
/** Writes `pairs` into `m.dir/included` and returns its path. */
const included = (m: Markers, pairs: Pairs): string => {
  file(m.dir, 'included', pairs.map(([key, value]) => configText(key, value)).join(''));
  return join(m.dir, 'included');
};
const attributes =
  (text: string, change = false) =>
  (repo: string) => {
    file(repo, '.git/info/attributes', text);
    if (change) file(repo, 'f', 'changed\n');
  };
const commit = ['commit', '--allow-empty', '-m', 'x'];
const rebase = ['rebase', '-i', 'HEAD~1'];
const status = ['status', '--porcelain'];
const diff = ['diff', 'HEAD~1', 'HEAD'];
const credentialFill = { command: ['credential', 'fill'], input: 'protocol=https\nhost=example.com\n\n' };
const signing = (format: string, key: string, program: string): Pairs => [
  ['commit.gpgSign', 'true'],
  ['user.signingKey', 'k'],
  ['gpg.format', format],
  [key, program],
];
// A push into the repository itself, so its receive-pack runs there (--no-verify: no pre-push hook first).
const pushInto = (refspec: string) => ({
  command: ['push', '--no-verify', '.', refspec],
  hardened: ['push', `--receive-pack=${hardenedRemoteProgram('receive-pack')}`, '.', refspec],
  network: true,
});

const CASES: readonly Case[] = [
  { name: 'hooks in .git/hooks (commit)', setup: (repo, m) => m.hooks(join(repo, '.git/hooks'), 'h'), command: commit },
  {
    name: 'core.hooksPath (update-ref runs reference-transaction)',
    config: (m) => [['core.hooksPath', m.hooks(join(m.dir, 'hooks'), 'hp-')]],
    command: ['update-ref', 'refs/heads/x', 'HEAD'],
  },
  { name: 'core.fsmonitor', config: (m) => [['core.fsmonitor', m.program('fsmonitor')]], command: status },
  {
    name: 'core.fsmonitor from an include.path file',
    config: (m) => [['include.path', included(m, [['core.fsmonitor', m.program('fsmonitor')]])]],
    command: status,
  },
  {
    name: 'core.hooksPath from an includeIf file',
    config: (m, repo) => {
      const hooks = m.hooks(join(m.dir, 'hooks'), 'hp-');
      return [[`includeIf.gitdir:${repo}/.path`, included(m, [['core.hooksPath', hooks]])]];
    },
    command: ['update-ref', 'refs/heads/x', 'HEAD'],
  },
  { name: 'core.editor', config: (m) => [['core.editor', m.program('editor')]], command: ['commit', '--allow-empty'] },
  { name: 'sequence.editor', config: (m) => [['sequence.editor', m.program('editor')]], command: rebase },
  { name: 'core.askPass', config: (m) => [['core.askPass', m.program('askpass')]], ...credentialFill },
  { name: 'credential.helper', config: (m) => [['credential.helper', m.program('helper')]], ...credentialFill },
  {
    name: 'credential.<url>.helper',
    config: (m) => [['credential.https://example.com.helper', m.program('helper')]],
    ...credentialFill,
  },
  {
    name: 'core.sshCommand',
    config: (m) => [['core.sshCommand', m.program('ssh-command')]],
    command: ['ls-remote', 'ssh://127.0.0.1:1/x'],
    network: true,
  },
  {
    name: 'core.gitProxy (first match wins)',
    config: (m) => [['core.gitProxy', m.program('proxy')]],
    command: ['ls-remote', 'git://127.0.0.1:1/x'],
    network: true,
  },
  {
    name: 'protocol.ext.allow and an ext:: URL',
    config: () => [['protocol.ext.allow', 'always']],
    command: ['ls-remote', 'ext::MARK'],
    network: true,
  },
  {
    name: 'remote.<name>.vcs (a remote helper on PATH)',
    setup: (_repo, m) => cpSync(m.program('vcs'), join(m.bin, 'git-remote-evil')),
    config: () => [
      ['remote.origin.url', 'x'],
      ['remote.origin.vcs', 'evil'],
    ],
    command: ['ls-remote', 'origin'],
    network: true,
  },
  // The first value wins for these: a target repository gets no transport at all.
  {
    name: 'remote.<name>.uploadpack',
    config: (m, repo) => [
      ['remote.origin.url', repo],
      ['remote.origin.uploadpack', m.program('uploadpack')],
    ],
    command: ['ls-remote', 'origin'],
  },
  {
    name: 'remote.<name>.receivepack',
    config: (m, repo) => [
      ['remote.origin.url', repo],
      ['remote.origin.receivepack', m.program('receivepack')],
    ],
    command: ['push', 'origin', 'HEAD:refs/heads/x'],
  },
  { name: 'diff.external', config: (m) => [['diff.external', m.program('external')]], command: diff },
  {
    name: 'diff.<driver>.command (in-tree .gitattributes)',
    setup: (repo) => file(repo, '.gitattributes', '* diff=evil\n'),
    config: (m) => [['diff.evil.command', m.program('command')]],
    command: diff,
  },
  {
    name: 'diff.<driver>.textconv (log -p)',
    setup: attributes('* diff=evil\n'),
    config: (m) => [['diff.evil.textconv', m.program('textconv')]],
    command: ['log', '-p', '-1'],
  },
  {
    name: 'diff.<driver>.textconv (cat-file --textconv)',
    setup: attributes('* diff=evil\n'),
    config: (m) => [['diff.evil.textconv', m.program('textconv')]],
    command: ['cat-file', '--textconv', 'HEAD:f'],
  },
  {
    name: 'filter.<driver>.clean (add)',
    setup: attributes('* filter=evil\n', true),
    config: (m) => [
      ['filter.evil.clean', m.program('clean')],
      ['filter.evil.required', 'true'],
    ],
    command: ['add', 'f'],
  },
  {
    name: 'filter.<driver>.clean (hash-object)',
    setup: attributes('* filter=evil\n'),
    config: (m) => [['filter.evil.clean', m.program('clean')]],
    command: ['hash-object', 'f'],
  },
  {
    name: 'filter.<driver>.process',
    setup: attributes('* filter=evil\n', true),
    config: (m) => [['filter.evil.process', m.program('process')]],
    command: ['add', 'f'],
  },
  {
    name: 'filter.<driver>.smudge',
    setup: attributes('* filter=evil\n'),
    config: (m) => [['filter.evil.smudge', m.program('smudge')]],
    command: ['checkout', 'HEAD~1', '--', 'f'],
  },
  {
    name: 'merge.<driver>.driver',
    setup: attributes('* merge=evil\n'),
    config: (m) => [['merge.evil.driver', m.program('merge')]],
    command: ['merge', '--no-edit', 'side'],
  },
  { name: 'gpg.program', config: (m) => signing('openpgp', 'gpg.program', m.program('gpg')), command: commit },
  { name: 'gpg.x509.program', config: (m) => signing('x509', 'gpg.x509.program', m.program('gpgsm')), command: commit },
  { name: 'gpg.ssh.program', config: (m) => signing('ssh', 'gpg.ssh.program', m.program('keygen')), command: commit },
  {
    name: 'gpg.ssh.defaultKeyCommand',
    // No signing key: git asks the command for one.
    config: (m) => {
      const [sign, , ...rest] = signing('ssh', 'gpg.ssh.defaultKeyCommand', m.program('key'));
      return sign === undefined ? rest : [sign, ...rest];
    },
    command: commit,
  },
  {
    name: 'gpg.program verifying (log.showSignature)',
    config: (m) => [
      ['log.showSignature', 'true'],
      ['gpg.program', m.program('gpg')],
    ],
    command: ['log', '-1', 'signed'],
  },
  { name: 'core.pager', config: (m) => [['core.pager', m.program('pager')]], command: ['log', '-1'], tty: true },
  { name: 'pager.<command>', config: (m) => [['pager.log', m.program('pager')]], command: ['log', '-1'], tty: true },
  {
    name: 'difftool.<tool>.cmd',
    config: (m) => [['difftool.evil.cmd', m.program('difftool')]],
    command: ['difftool', '-y', '--tool=evil', 'HEAD~1', 'HEAD'],
  },
  {
    name: 'hooks of a repository pushed into (receive-pack)',
    setup: (repo, m) => m.hooks(join(repo, '.git/hooks'), 'hook-'),
    ...pushInto('HEAD:refs/heads/pushed'),
    expects: 'hook-pre-receive',
  },
  {
    name: 'core.alternateRefsCommand of a repository pushed into',
    setup: (repo) => file(repo, '.git/objects/info/alternates', `${join(template, '.git', 'objects')}\n`),
    config: (m) => [['core.alternateRefsCommand', m.program('alternate-refs')]],
    ...pushInto('HEAD:refs/heads/pushed'),
    expects: 'alternate-refs',
  },
  {
    name: 'receive.denyCurrentBranch=updateInstead (push-to-checkout) of a repository pushed into',
    setup: (repo, m) => {
      const next = plainGit(repo, 'commit-tree', '-p', 'HEAD', '-m', 'next', 'HEAD~1^{tree}');
      plainGit(repo, 'update-ref', 'refs/heads/next', next);
      cpSync(m.program('push-to-checkout'), join(repo, '.git/hooks/push-to-checkout'));
    },
    config: () => [['receive.denyCurrentBranch', 'updateInstead']],
    ...pushInto('next:refs/heads/main'),
    expects: 'push-to-checkout',
  },
];

const HAS_SCRIPT = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let root: string;
let template: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cloudmend-hardening-'));
  template = join(root, 'template');
  mkdirSync(template);
  // main: a → b on f; side: a → c on f (a merge conflict); signed: a commit with a signature header.
  plainGit(template, 'init', '--quiet', '--initial-branch=main');
  file(template, 'f', 'a\n');
  plainGit(template, 'add', 'f');
  plainGit(template, 'commit', '--quiet', '-m', 'a');
  plainGit(template, 'switch', '--quiet', '--create', 'side');
  file(template, 'f', 'c\n');
  plainGit(template, 'commit', '--quiet', '--all', '-m', 'c');
  plainGit(template, 'switch', '--quiet', 'main');
  file(template, 'f', 'b\n');
  plainGit(template, 'commit', '--quiet', '--all', '-m', 'b');
  const tree = plainGit(template, 'rev-parse', 'HEAD^{tree}');
  const signature = 'gpgsig -----BEGIN PGP SIGNATURE-----\n \n AAAA\n -----END PGP SIGNATURE-----';
  const signed = `tree ${tree}\nauthor a <a@b> 1 +0000\ncommitter a <a@b> 1 +0000\n${signature}\n\nsigned\n`;
  const options = { cwd: template, env: PLAIN_GIT_ENV, input: signed, encoding: 'utf8' } as const;
  const commit = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], options).trim();
  plainGit(template, 'update-ref', 'refs/heads/signed', commit);
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }), 60_000);

/** A copy of the template armed for `c`, with the markers its programs write. */
function armed(c: Case, name: string): { repo: string; markers: Markers } {
  const dir = join(root, c.name.replace(/\W+/g, '-'), name);
  const repo = join(dir, 'repo');
  cpSync(template, repo, { recursive: true });
  const markers = new Markers(join(dir, 'markers'));
  c.setup?.(repo, markers);
  const pairs = c.config?.(markers, repo) ?? [];
  appendConfig(join(repo, '.git', 'config'), pairs.map(([key, value]) => configText(key, value)).join(''));
  return { repo, markers };
}

/** `sh -c` text that runs `args` as they are. */
const shellLine = (args: readonly string[]): string => args.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');

/** Runs git (under script(1) for `tty`) and ignores how it ends: only the markers count. */
function attempt(c: Case, repo: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const command = c.tty === true ? ['script', '-qec', shellLine(['git', ...args]), '/dev/null'] : ['git', ...args];
  // Failing is fine (and expected of many hardened runs); starting a program is not.
  return new Promise((resolve) => {
    const child = execFile(command[0] ?? '', command.slice(1), { cwd: repo, env, timeout: 20_000 }, () => resolve());
    // git may exit before reading its input.
    child.stdin?.on('error', () => undefined).end(c.input ?? '');
  });
}

/** `args` with MARK replaced by a marker program's path. */
const withMarker = (args: readonly string[], m: Markers): string[] =>
  args.map((a) => (a.includes('MARK') ? a.replace('MARK', m.program('ext')) : a));

/** git in `repo` with the hardened arguments and environment, as GitRepository starts it. */
async function hardenedGit(repo: string, args: readonly string[]): Promise<string> {
  const options = { cwd: repo, env: hardenedEnvironment({ path: repo }), encoding: 'utf8' } as const;
  return (await promisify(execFile)('git', [...hardenedArguments(), ...args], options)).stdout;
}

describe('hardened git config and environment', () => {
  it('give each hardened key cloudmend’s value over the repository’s config and the files it includes', async () => {
    const evil = HARDENED_CONFIG.map(([key]): [string, string] => [key, 'evil']);
    const precedence: Case = { name: 'precedence', command: [], config: (m) => [['include.path', included(m, evil)]] };
    const { repo } = armed(precedence, 'hardened');
    const listing = await hardenedGit(repo, ['config', '--list', '-z']);
    const entries = listing.split('\0').map((entry) => entry.split('\n'));
    const effective = new Map(entries.map(([key = '', ...value]) => [key, value.join('\n')]));
    expect(effective.get('core.hookspath')).toBe('/dev/null');
    // Names as git prints them: section and name in lower case (every subsection here is).
    for (const [key, value] of HARDENED_CONFIG) expect([key, effective.get(key.toLowerCase())]).toEqual([key, value]);
  });

  // Concurrent: the cases are independent, and most of their time is git starting up.
  it.concurrent.for(CASES)('$name: a plain run starts the program, a hardened one nothing', async (c, ctx) => {
    const { expect, skip } = ctx;
    if (c.tty === true && !HAS_SCRIPT) return skip('script(1) is not installed: no terminal to test pagers with');
    const control = armed(c, 'control');
    const path = [control.markers.bin, process.env.PATH ?? ''].join(delimiter);
    await attempt(c, control.repo, withMarker(c.command, control.markers), { ...PLAIN_GIT_ENV, PATH: path });
    const expected = expect.arrayContaining([c.expects ?? expect.any(String)]) as unknown;
    expect(control.markers.written(), 'a plain run must start a program, or the case tests nothing').toEqual(expected);

    const { repo, markers } = armed(c, 'hardened');
    const base = { ...PLAIN_GIT_ENV, PATH: [markers.bin, process.env.PATH ?? ''].join(delimiter) };
    const names = await hardenedGit(repo, ['config', '--list', '--name-only', '-z']);
    const config = repositoryNeutralisers(names.split('\0').filter(Boolean));
    const identity = gitIdentity({ name: 'a', email: 'a@b' });
    const env = { ...hardenedEnvironment({ path: repo, network: c.network, config, from: base }), ...identity };
    await attempt(c, repo, [...hardenedArguments(), ...withMarker(c.hardened ?? c.command, markers)], env);
    expect(markers.written()).toEqual([]);
  });
});
