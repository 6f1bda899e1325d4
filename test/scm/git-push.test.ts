/**
 * Pushing without the target repository's configuration: which origin URLs are accepted, the
 * refusals and what they say, and credentials from the user's global config only.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitRepository } from '../../src/scm/git.js';
import { hardenedArguments, hardenedEnvironment, type ConfigPair } from '../../src/scm/git-hardening.js';
import { pushFailureMessage, pushTransport, userCredentialConfig } from '../../src/scm/git-push.js';
import { localGitPullRequests } from '../../src/scm/local-git.js';
import type { PullRequestResult } from '../../src/scm/port.js';
import { appendConfig, Markers } from '../support/hostile-repo.js';
import { bareClone, git, removeTempDirs, tempDir, workingRepo } from './git-fixture.js';

afterEach(removeTempDirs);

const BRANCH = 'cloudmend/fix';

/** Opens a pull request that changes main.tf in the working repository `repo`, pushing it to origin. */
function open(repo: string): Promise<PullRequestResult> {
  const adapter = localGitPullRequests({ repositories: { infra: { path: repo, defaultBranch: 'main' } }, push: true });
  const files = [{ path: 'main.tf', content: 'fixed\n' }];
  const text = { title: 'x', body: '', commitMessage: 'x' };
  return adapter.open({ repository: 'infra', branch: BRANCH, base: 'main', ...text, files, owner: { kind: 'finding', id: 'f1' } });
}

/** `git credential fill` for https://example.com in `repo`, hardened, with `config` read last. */
function credentialFill(repo: string, config: readonly ConfigPair[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = hardenedEnvironment({ path: repo, network: true });
    const args = [...hardenedArguments(config), 'credential', 'fill'];
    const done = (error: Error | null, stdout: string): void => (error === null ? resolve(stdout) : reject(error));
    const child = execFile('git', args, { cwd: repo, env }, done);
    child.stdin?.end('protocol=https\nhost=example.com\n\n');
  });
}

describe('pushTransport', () => {
  it.each([
    ['https://github.com/acme/infra.git', 'https'],
    ['HTTPS://github.com/acme/infra.git', 'https'],
    ['ssh://git@github.com/acme/infra.git', 'ssh'],
    ['git+ssh://github.com/acme/infra.git', 'ssh'],
    ['git@github.com:acme/infra.git', 'ssh'],
    ['github.com:acme/infra.git', 'ssh'],
    ['/srv/git/infra.git', 'file'],
    ['../origin.git', 'file'],
    ['dir/with:colon', 'file'],
    ['file:///srv/git/infra.git', 'file'],
    ['ext::sh -c touch% /tmp/pwned', undefined],
    ['fd::3', undefined],
    ['evil::https://github.com/acme/infra.git', undefined],
    ['http://github.com/acme/infra.git', undefined],
    ['git://github.com/acme/infra.git', undefined],
    ['ftp://example.com/infra.git', undefined],
    ['-oProxyCommand=touch /tmp/pwned', undefined],
    ['ssh://-oProxyCommand=touch%20x/infra.git', undefined],
    ['-oProxyCommand=x@host:infra.git', undefined],
    ['https://github.com/acme/infra.git\n', undefined],
  ])('%j is %s', (url, transport) => {
    expect(pushTransport(url)).toBe(transport);
  });
});

describe('pushing to origin', () => {
  it('pushes to an origin given as a path relative to the repository', async () => {
    const repo = workingRepo();
    const origin = bareClone(repo);
    git(repo, 'remote', 'add', 'origin', relative(repo, origin));
    const result = await open(repo);
    expect(git(origin, 'rev-parse', BRANCH)).toBe(result.commit);
  });

  const HTTPS = 'https://example.com/a.git';
  it.each([
    ['a remote helper URL', (m: Markers) => `url = ext::${m.program('ext')}`, /URL "ext::.*" is not https, ssh or a/],
    ['a push URL over plain http', () => `url = ${HTTPS}\n\tpushurl = http://example.com/a`, /URL "http:\/\/example/],
    [
      'an insteadOf rewrite to a remote helper',
      (m: Markers) => `url = ${HTTPS}\n[url "ext::${m.program('ext')} #"]\n\tpushInsteadOf = https://`,
      /its URL "ext::/,
    ],
    [
      'two push URLs',
      () => `url = ${HTTPS}\n\tpushurl = https://a.example/x.git\n\tpushurl = https://b.example/x.git`,
      /origin has 2 push URLs; cloudmend pushes to exactly one/,
    ],
    ['a password in the URL, not shown', () => 'url = http://user:s3cret@example.com/a', /URL "http:\/\/user:\*\*\*@/],
  ])('refuses %s, saying what to do, and starts nothing', async (_name, origin, message) => {
    const repo = workingRepo();
    const markers = new Markers(join(tempDir(), 'markers'));
    appendConfig(join(repo, '.git', 'config'), `[remote "origin"]\n\t${origin(markers)}`);
    const error = await open(repo).catch((e: unknown) => e);
    expect(error).toMatchObject({ userFacing: true, message: expect.stringMatching(message) as unknown });
    expect((error as Error).message).not.toContain('s3cret');
    expect(markers.written()).toEqual([]);
  });

  it('is a user-facing error with git’s message when git fails to push', async () => {
    const repo = workingRepo();
    // Nothing listens on port 1.
    git(repo, 'remote', 'add', 'origin', 'ssh://127.0.0.1:1/infra.git');
    await expect(open(repo)).rejects.toMatchObject({
      userFacing: true,
      message: expect.stringMatching(/^pushing branch "cloudmend\/fix" of repository "infra" to origin/) as unknown,
    });
  });

  it.each([
    "fatal: could not read Username for 'https://github.com': terminal prompts disabled",
    "remote: Invalid username or password.\nfatal: Authentication failed for 'https://github.com/acme/infra.git/'",
    'git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.',
  ])('says where credentials come from when git says %j', (detail) => {
    const expected = /global git config, never the repository's: .* push yourself: git push origin cloudmend\/fix\)$/;
    expect(pushFailureMessage('infra', BRANCH, detail)).toMatch(expected);
  });

  it('says nothing of credentials for a rejected push', () => {
    expect(pushFailureMessage('infra', BRANCH, ' ! [rejected] fix -> fix (fetch first)')).not.toMatch(/credential/);
  });
});

describe('userCredentialConfig', () => {
  it('takes the credential entries of the user’s global config; the repository’s helpers never answer', async () => {
    const home = tempDir();
    mkdirSync(join(home, '.config', 'git'), { recursive: true });
    writeFileSync(join(home, '.config', 'git', 'config'), '[credential]\n\thelper =\n');
    writeFileSync(join(home, 'extra.config'), '[credential "https://example.com"]\n\tusername = octocat\n');
    const helper = '[credential]\n\thelper = "!f() { echo password=from-global; }; f"';
    writeFileSync(join(home, '.gitconfig'), `[core]\n\tsshCommand = x\n${helper}\n[include]\n\tpath = extra.config\n`);
    const scratch = await GitRepository.create(tempDir());

    const pairs = await userCredentialConfig(scratch, { HOME: home });
    expect(pairs).toEqual([
      ['credential.helper', ''],
      ['credential.helper', '!f() { echo password=from-global; }; f'],
      ['credential.https://example.com.username', 'octocat'],
    ]);
    const explicit = await userCredentialConfig(scratch, { HOME: home, GIT_CONFIG_GLOBAL: join(home, 'extra.config') });
    expect(explicit).toEqual([pairs[2]]);

    // What a push does with them, here in a repository whose own helpers are marker programs.
    const repo = workingRepo();
    const markers = new Markers(join(tempDir(), 'markers'));
    const helpers = [markers.program('helper'), markers.program('url')];
    const own = `[credential]\n\thelper = ${helpers[0]}\n[credential "https://example.com"]\n\thelper = ${helpers[1]}`;
    appendConfig(join(repo, '.git', 'config'), own);
    expect(await credentialFill(repo, pairs)).toContain('username=octocat\npassword=from-global');
    expect(markers.written()).toEqual([]);
  });
});
