/**
 * Pushing without the target repository's configuration: which origin URLs are accepted, the
 * refusals and what they say, and credentials from the user's global config only.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { GitRepository } from '../../src/scm/git.js';
import { hardenedArguments, hardenedEnvironment } from '../../src/scm/git-hardening.js';
import { pushFailureMessage, pushTransport, userCredentialConfig } from '../../src/scm/git-push.js';
import { localGitPullRequests } from '../../src/scm/local-git.js';
import { appendConfig, Markers } from '../support/hostile-repo.js';
import { bareClone, git, removeTempDirs, tempDir, workingRepo } from './git-fixture.js';

afterEach(removeTempDirs);

const BRANCH = 'cloudmend/fix';
const request = { repository: 'infra', branch: BRANCH, base: 'main', title: 'Fix', body: '', commitMessage: 'fix', files: [{ path: 'main.tf', content: 'fixed\n' }] };
const open = (repo: string) => localGitPullRequests({ repositories: { infra: { path: repo, defaultBranch: 'main' } }, push: true }).open(request);

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
    git(repo, 'remote', 'add', 'origin', join('..', '..', origin.split('/').slice(-2).join('/')));
    const result = await open(repo);
    expect(git(origin, 'rev-parse', BRANCH)).toBe(result.commit);
  });

  it.each([
    ['a remote helper URL', (m: Markers) => `[remote "origin"]\n\turl = ext::${m.program('ext')}`, /its URL "ext::.*" is not https, ssh or a local path/],
    ['a push URL over plain http', () => '[remote "origin"]\n\turl = https://example.com/a.git\n\tpushurl = http://example.com/a.git', /its URL "http:\/\/example\.com\/a\.git" is not https/],
    ['an insteadOf rewrite to a remote helper', (m: Markers) => `[remote "origin"]\n\turl = https://example.com/a.git\n[url "ext::${m.program('ext')} #"]\n\tpushInsteadOf = https://`, /its URL "ext::/],
    ['two push URLs', () => '[remote "origin"]\n\turl = https://example.com/a.git\n\tpushurl = https://a.example/x.git\n\tpushurl = https://b.example/x.git', /origin has 2 push URLs; cloudmend pushes to exactly one/],
    ['a password in the URL, which is not shown', () => '[remote "origin"]\n\turl = http://user:s3cret@example.com/a.git', /its URL "http:\/\/user:\*\*\*@example\.com\/a\.git"/],
  ])('refuses %s, saying what to do, and starts nothing', async (_name, config, message) => {
    const repo = workingRepo();
    const markers = new Markers(join(tempDir(), 'markers'));
    appendConfig(join(repo, '.git', 'config'), config(markers));
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
      message: expect.stringMatching(/^pushing branch "cloudmend\/fix" of repository "infra" to origin failed: .*Could not read from remote repository/s) as unknown,
    });
  });

  it.each([
    "fatal: could not read Username for 'https://github.com': terminal prompts disabled",
    "remote: Invalid username or password.\nfatal: Authentication failed for 'https://github.com/acme/infra.git/'",
    'git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.',
  ])('says where credentials come from when git says %j', (detail) => {
    expect(pushFailureMessage('infra', BRANCH, detail)).toMatch(/credential helpers of your global git config, never the repository's: set one up, .* or push yourself: git push origin cloudmend\/fix\)$/);
  });

  it('says nothing of credentials for a rejected push', () => {
    expect(pushFailureMessage('infra', BRANCH, ' ! [rejected] fix -> fix (fetch first)')).not.toMatch(/credential/);
  });
});

describe('userCredentialConfig', () => {
  it('takes the credential entries of the user’s global config, and the repository’s helpers never answer', async () => {
    const home = tempDir();
    const markers = new Markers(join(home, 'markers'));
    mkdirSync(join(home, '.config', 'git'), { recursive: true });
    writeFileSync(join(home, '.config', 'git', 'config'), '[credential]\n\thelper =\n');
    writeFileSync(join(home, 'extra.config'), '[credential "https://example.com"]\n\tusername = octocat\n');
    writeFileSync(join(home, '.gitconfig'), `[core]\n\tsshCommand = nope\n[credential]\n\thelper = "!f() { echo password=from-global; }; f"\n[include]\n\tpath = extra.config\n`);
    const scratch = await GitRepository.create(tempDir());

    const pairs = await userCredentialConfig(scratch, { HOME: home });
    expect(pairs).toEqual([
      ['credential.helper', ''],
      ['credential.helper', '!f() { echo password=from-global; }; f'],
      ['credential.https://example.com.username', 'octocat'],
    ]);
    expect(await userCredentialConfig(scratch, { HOME: home, GIT_CONFIG_GLOBAL: join(home, 'extra.config') })).toEqual([pairs[2]]);

    // What a push does with them, in a repository whose own helpers are marker programs.
    const repo = workingRepo();
    appendConfig(join(repo, '.git', 'config'), `[credential]\n\thelper = ${markers.program('helper')}\n[credential "https://example.com"]\n\thelper = ${markers.program('url-helper')}`);
    const fill = execFile('git', [...hardenedArguments(pairs), 'credential', 'fill'], { cwd: repo, env: hardenedEnvironment({ path: repo, network: true }) });
    fill.stdin?.end('protocol=https\nhost=example.com\n\n');
    const { stdout } = await promisify((callback: (error: Error | null, out: { stdout: string }) => void) => {
      let out = '';
      fill.stdout?.on('data', (chunk: string) => (out += chunk));
      fill.on('close', (code) => callback(code === 0 ? null : new Error(`exit ${String(code)}`), { stdout: out }));
    })();
    expect(stdout).toContain('username=octocat\npassword=from-global');
    expect(markers.written()).toEqual([]);
  });
});
