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
import { HARDENED_CONFIG, hardenedArguments, hardenedEnvironment, hardenedReceivePack, repositoryNeutralisers } from '../../src/scm/git-hardening.js';
import { appendConfig, Markers, PLAIN_GIT_ENV, plainGit } from '../support/hostile-repo.js';

interface Case {
  readonly name: string;
  /** Config appended to the repository's; may write files (an included one) under `m.dir`. */
  readonly config?: (m: Markers, repo: string) => string;
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

const HTTPS_CREDENTIAL = 'protocol=https\nhost=example.com\n\n';
const file = (repo: string, name: string, text: string): void => writeFileSync(join(repo, name), text);
const attributes = (text: string) => (repo: string) => file(repo, '.git/info/attributes', text);
// A push into the repository itself: its receive-pack runs there (--no-verify: no pre-push hook first).
const pushHere = { command: ['push', '--no-verify', '.', 'HEAD:refs/heads/pushed'], hardened: ['push', `--receive-pack=${hardenedReceivePack()}`, '.', 'HEAD:refs/heads/pushed'] };

const CASES: readonly Case[] = [
  { name: 'hooks in .git/hooks (commit)', setup: (repo, m) => m.hooks(join(repo, '.git/hooks'), 'hook-'), command: ['commit', '--allow-empty', '-m', 'x'] },
  { name: 'core.hooksPath (update-ref runs reference-transaction)', config: (m) => `[core]\n\thooksPath = ${m.hooks(join(m.dir, 'hooks'), 'hp-')}`, command: ['update-ref', 'refs/heads/x', 'HEAD'] },
  { name: 'core.fsmonitor', config: (m) => `[core]\n\tfsmonitor = ${m.program('fsmonitor')}`, command: ['status', '--porcelain'] },
  {
    name: 'core.fsmonitor from an include.path file',
    config: (m) => (file(m.dir, 'included', `[core]\n\tfsmonitor = ${m.program('fsmonitor')}\n`), `[include]\n\tpath = ${join(m.dir, 'included')}`),
    command: ['status', '--porcelain'],
  },
  {
    name: 'core.hooksPath from an includeIf file',
    config: (m, repo) => (file(m.dir, 'included', `[core]\n\thooksPath = ${m.hooks(join(m.dir, 'hooks'), 'hp-')}\n`), `[includeIf "gitdir:${repo}/"]\n\tpath = ${join(m.dir, 'included')}`),
    command: ['update-ref', 'refs/heads/x', 'HEAD'],
  },
  { name: 'core.editor', config: (m) => `[core]\n\teditor = ${m.program('editor')}`, command: ['commit', '--allow-empty'] },
  { name: 'sequence.editor', config: (m) => `[sequence]\n\teditor = ${m.program('sequence-editor')}`, command: ['rebase', '-i', 'HEAD~1'] },
  { name: 'core.askPass', config: (m) => `[core]\n\taskPass = ${m.program('askpass')}`, command: ['credential', 'fill'], input: HTTPS_CREDENTIAL },
  { name: 'credential.helper', config: (m) => `[credential]\n\thelper = ${m.program('helper')}`, command: ['credential', 'fill'], input: HTTPS_CREDENTIAL },
  { name: 'credential.<url>.helper', config: (m) => `[credential "https://example.com"]\n\thelper = ${m.program('helper')}`, command: ['credential', 'fill'], input: HTTPS_CREDENTIAL },
  { name: 'core.sshCommand', config: (m) => `[core]\n\tsshCommand = ${m.program('ssh-command')}`, command: ['ls-remote', 'ssh://127.0.0.1:1/x'], network: true },
  { name: 'core.gitProxy (first match wins)', config: (m) => `[core]\n\tgitProxy = ${m.program('proxy')}`, command: ['ls-remote', 'git://127.0.0.1:1/x'], network: true },
  { name: 'protocol.ext.allow and an ext:: URL', config: () => '[protocol "ext"]\n\tallow = always', command: ['ls-remote', 'ext::MARK'], network: true },
  {
    name: 'remote.<name>.vcs (a remote helper on PATH)',
    setup: (_repo, m) => cpSync(m.program('vcs'), join(m.bin, 'git-remote-evil')),
    config: () => '[remote "origin"]\n\turl = x\n\tvcs = evil',
    command: ['ls-remote', 'origin'],
    network: true,
  },
  // The first value wins for these: a target repository gets no transport at all.
  { name: 'remote.<name>.uploadpack', config: (m, repo) => `[remote "origin"]\n\turl = ${repo}\n\tuploadpack = ${m.program('uploadpack')}`, command: ['ls-remote', 'origin'] },
  { name: 'remote.<name>.receivepack', config: (m, repo) => `[remote "origin"]\n\turl = ${repo}\n\treceivepack = ${m.program('receivepack')}`, command: ['push', 'origin', 'HEAD:refs/heads/x'] },
  { name: 'diff.external', config: (m) => `[diff]\n\texternal = ${m.program('external')}`, command: ['diff', 'HEAD~1', 'HEAD'] },
  { name: 'diff.<driver>.command (in-tree .gitattributes)', setup: (repo) => file(repo, '.gitattributes', '* diff=evil\n'), config: (m) => `[diff "evil"]\n\tcommand = ${m.program('command')}`, command: ['diff', 'HEAD~1', 'HEAD'] },
  { name: 'diff.<driver>.textconv (log -p)', setup: attributes('* diff=evil\n'), config: (m) => `[diff "evil"]\n\ttextconv = ${m.program('textconv')}`, command: ['log', '-p', '-1'] },
  { name: 'diff.<driver>.textconv (cat-file --textconv)', setup: attributes('* diff=evil\n'), config: (m) => `[diff "evil"]\n\ttextconv = ${m.program('textconv')}`, command: ['cat-file', '--textconv', 'HEAD:f'] },
  {
    name: 'filter.<driver>.clean (add)',
    setup: (repo) => (attributes('* filter=evil\n')(repo), file(repo, 'f', 'changed\n')),
    config: (m) => `[filter "evil"]\n\tclean = ${m.program('clean')}\n\trequired = true`,
    command: ['add', 'f'],
  },
  { name: 'filter.<driver>.clean (hash-object)', setup: attributes('* filter=evil\n'), config: (m) => `[filter "evil"]\n\tclean = ${m.program('clean')}`, command: ['hash-object', 'f'] },
  { name: 'filter.<driver>.process', setup: (repo) => (attributes('* filter=evil\n')(repo), file(repo, 'f', 'changed\n')), config: (m) => `[filter "evil"]\n\tprocess = ${m.program('process')}`, command: ['add', 'f'] },
  { name: 'filter.<driver>.smudge', setup: attributes('* filter=evil\n'), config: (m) => `[filter "evil"]\n\tsmudge = ${m.program('smudge')}`, command: ['checkout', 'HEAD~1', '--', 'f'] },
  { name: 'merge.<driver>.driver', setup: attributes('* merge=evil\n'), config: (m) => `[merge "evil"]\n\tdriver = ${m.program('merge')}`, command: ['merge', '--no-edit', 'side'] },
  { name: 'gpg.program (commit.gpgSign)', config: (m) => `[commit]\n\tgpgSign = true\n[gpg]\n\tprogram = ${m.program('gpg')}`, command: ['commit', '--allow-empty', '-m', 'x'] },
  { name: 'gpg.x509.program', config: (m) => `[commit]\n\tgpgSign = true\n[user]\n\tsigningKey = k\n[gpg]\n\tformat = x509\n[gpg "x509"]\n\tprogram = ${m.program('gpgsm')}`, command: ['commit', '--allow-empty', '-m', 'x'] },
  { name: 'gpg.ssh.program', config: (m) => `[commit]\n\tgpgSign = true\n[user]\n\tsigningKey = k\n[gpg]\n\tformat = ssh\n[gpg "ssh"]\n\tprogram = ${m.program('ssh-keygen')}`, command: ['commit', '--allow-empty', '-m', 'x'] },
  { name: 'gpg.ssh.defaultKeyCommand', config: (m) => `[commit]\n\tgpgSign = true\n[gpg]\n\tformat = ssh\n[gpg "ssh"]\n\tdefaultKeyCommand = ${m.program('key')}`, command: ['commit', '--allow-empty', '-m', 'x'] },
  { name: 'gpg.program verifying (log.showSignature)', config: (m) => `[log]\n\tshowSignature = true\n[gpg]\n\tprogram = ${m.program('gpg')}`, command: ['log', '-1', 'signed'] },
  { name: 'core.pager', config: (m) => `[core]\n\tpager = ${m.program('pager')}`, command: ['log', '-1'], tty: true },
  { name: 'pager.<command>', config: (m) => `[pager]\n\tlog = ${m.program('pager')}`, command: ['log', '-1'], tty: true },
  { name: 'difftool.<tool>.cmd', config: (m) => `[difftool "evil"]\n\tcmd = ${m.program('difftool')}`, command: ['difftool', '-y', '--tool=evil', 'HEAD~1', 'HEAD'] },
  { name: 'hooks of a repository pushed into (receive-pack)', setup: (repo, m) => m.hooks(join(repo, '.git/hooks'), 'hook-'), ...pushHere, network: true, expects: 'hook-pre-receive' },
  {
    name: 'core.alternateRefsCommand of a repository pushed into',
    setup: (repo) => file(repo, '.git/objects/info/alternates', `${join(template, '.git', 'objects')}\n`),
    config: (m) => `[core]\n\talternateRefsCommand = ${m.program('alternate-refs')}`,
    ...pushHere,
    network: true,
    expects: 'alternate-refs',
  },
  {
    name: 'receive.denyCurrentBranch=updateInstead (push-to-checkout) of a repository pushed into',
    setup: (repo, m) => {
      plainGit(repo, 'update-ref', 'refs/heads/next', plainGit(repo, 'commit-tree', '-p', 'HEAD', '-m', 'next', 'HEAD~1^{tree}'));
      cpSync(m.program('push-to-checkout'), join(repo, '.git/hooks/push-to-checkout'));
    },
    config: () => '[receive]\n\tdenyCurrentBranch = updateInstead',
    command: ['push', '--no-verify', '.', 'next:refs/heads/main'],
    hardened: ['push', `--receive-pack=${hardenedReceivePack()}`, '.', 'next:refs/heads/main'],
    network: true,
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
  const signed = `tree ${tree}\nauthor a <a@b> 1 +0000\ncommitter a <a@b> 1 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n AAAA\n -----END PGP SIGNATURE-----\n\nsigned\n`;
  const commit = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: template, env: PLAIN_GIT_ENV, input: signed, encoding: 'utf8' }).trim();
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
  if (c.config !== undefined) appendConfig(join(repo, '.git', 'config'), c.config(markers, repo));
  return { repo, markers };
}

/** Runs git (under script(1) for `tty`) and ignores how it ends: only the markers count. */
function attempt(c: Case, repo: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const command = c.tty === true ? ['script', '-qec', ['git', ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' '), '/dev/null'] : ['git', ...args];
  // Failing is fine (and expected of many hardened runs); starting a program is not.
  return new Promise((resolve) => {
    const child = execFile(command[0] ?? '', command.slice(1), { cwd: repo, env, timeout: 20_000 }, () => resolve());
    // git may exit before reading its input.
    child.stdin?.on('error', () => undefined).end(c.input ?? '');
  });
}

/** `args` with MARK replaced by a marker program's path. */
const withMarker = (args: readonly string[], m: Markers): string[] => args.map((a) => (a.includes('MARK') ? a.replace('MARK', m.program('ext')) : a));

/** `key = value` in git config syntax: `[section "subsection"]` and the name. */
function configText(key: string, value: string): string {
  const parts = key.split('.');
  const subsection = parts.slice(1, -1).join('.');
  return `[${parts[0] ?? ''}${subsection === '' ? '' : ` "${subsection}"`}]\n\t${parts.at(-1) ?? ''} = ${value}\n`;
}

describe('hardened git config and environment', () => {
  it('give every hardened key cloudmend’s value over the repository’s config and the files it includes', () => {
    const { repo, markers } = armed({ name: 'precedence', command: [] }, 'hardened');
    const included = join(markers.dir, 'included');
    file(markers.dir, 'included', HARDENED_CONFIG.map(([key]) => configText(key, 'evil')).join(''));
    appendConfig(join(repo, '.git', 'config'), `[include]\n\tpath = ${included}`);
    const listing = execFileSync('git', [...hardenedArguments(), 'config', '--list', '-z'], { cwd: repo, env: hardenedEnvironment({ path: repo }), encoding: 'utf8' });
    const effective = new Map(listing.split('\0').filter(Boolean).map((entry) => [entry.slice(0, entry.indexOf('\n')), entry.slice(entry.indexOf('\n') + 1)]));
    expect(effective.get('core.hookspath')).toBe('/dev/null');
    // Names as git prints them: section and name in lower case (every subsection here is).
    for (const [key, value] of HARDENED_CONFIG) expect([key, effective.get(key.toLowerCase())]).toEqual([key, value]);
  });

  // Concurrent: the cases are independent, and most of their time is git starting up.
  it.concurrent.for(CASES)('$name: starts the program in a plain run, and nothing hardened', async (c, { expect, skip }) => {
    if (c.tty === true && !HAS_SCRIPT) return skip('script(1) is not installed: no terminal to test pagers with');
    const control = armed(c, 'control');
    const path = [control.markers.bin, process.env.PATH ?? ''].join(delimiter);
    await attempt(c, control.repo, withMarker(c.command, control.markers), { ...PLAIN_GIT_ENV, PATH: path });
    const started = control.markers.written();
    expect(started, 'the plain run must start a program, or the case tests nothing').toEqual(c.expects === undefined ? expect.arrayContaining([expect.any(String)]) : expect.arrayContaining([c.expects]));

    const { repo, markers } = armed(c, 'hardened');
    const base = { ...PLAIN_GIT_ENV, PATH: [markers.bin, process.env.PATH ?? ''].join(delimiter) };
    const { stdout: names } = await promisify(execFile)('git', [...hardenedArguments(), 'config', '--list', '--name-only', '-z'], { cwd: repo, env: hardenedEnvironment({ path: repo }), encoding: 'utf8' });
    const config = repositoryNeutralisers(names.split('\0').filter(Boolean));
    const env = { ...hardenedEnvironment({ path: repo, network: c.network, config, from: base }), GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b' };
    await attempt(c, repo, [...hardenedArguments(), ...withMarker(c.hardened ?? c.command, markers)], env);
    expect(markers.written()).toEqual([]);
  });
});
