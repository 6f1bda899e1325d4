/**
 * What the local git adapter refuses, and that a refusal leaves no branch behind: paths outside
 * the tree or into `.git`, unknown repositories and branches, non-repositories, empty changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ScmError } from '../../src/scm/errors.js';
import { localGitPullRequests } from '../../src/scm/local-git.js';
import type { PullRequestInput } from '../../src/scm/port.js';
import { INITIAL_FILES, commitFiles, git, removeTempDirs, tempDir, workingRepo } from './git-fixture.js';

function request(overrides: Partial<PullRequestInput> = {}): PullRequestInput {
  return {
    repository: 'infra',
    branch: 'cloudmend/fix',
    owner: { kind: 'finding', id: 'f1' },
    base: 'main',
    title: 'Fix',
    body: '',
    commitMessage: 'fix',
    files: [{ path: 'main.tf', content: 'fixed\n' }],
    ...overrides,
  };
}

async function refusal(repoPath: string, input: PullRequestInput): Promise<ScmError> {
  const error = await localGitPullRequests({ repositories: { infra: { path: repoPath, defaultBranch: 'main' } } })
    .open(input)
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ScmError);
  return error as ScmError;
}

afterEach(removeTempDirs);

describe('localGitPullRequests refuses', () => {
  it.each([
    ['../outside.tf', /it contains "\.\."/],
    ['modules/../../outside.tf', /it contains "\.\."/],
    ['/etc/passwd', /it is absolute/],
    ['C:/Windows/x.tf', /it is absolute/],
    ['a\0b.tf', /NUL/],
    ['.git/config', /goes into \.git/],
    ['.GIT/hooks/pre-commit', /goes into \.git/],
    ['modules/.git/config', /goes into \.git/],
    ['./main.tf', /it contains "\."/],
    ['modules//key.tf', /empty component/],
    ['modules\\key.tf', /backslash/],
    ['', /is empty/],
  ])('the file path %j', async (filePath, reason) => {
    const repo = workingRepo();
    const error = await refusal(
      repo,
      request({
        files: [
          { path: 'ok.tf', content: 'ok\n' },
          { path: filePath, content: 'x' },
        ],
      }),
    );
    expect(error.userFacing).toBe(true);
    expect(error.message).toMatch(reason);
    expect(git(repo, 'branch', '--list', 'cloudmend/*')).toBe('');
  });

  it('the same path twice', async () => {
    const error = await refusal(
      workingRepo(),
      request({
        files: [
          { path: 'a.tf', content: '1' },
          { path: 'a.tf', content: '2' },
        ],
      }),
    );
    expect(error.message).toMatch(/given twice/);
  });

  it('writing over a symlink or through it', async () => {
    const repo = workingRepo();
    fs.symlinkSync('/etc', path.join(repo, 'linked'));
    commitFiles(repo, {}, 'link');

    expect((await refusal(repo, request({ files: [{ path: 'linked', content: 'x' }] }))).message).toMatch(
      /"linked" .* it is a symlink on the base branch/,
    );
    expect((await refusal(repo, request({ files: [{ path: 'linked/passwd', content: 'x' }] }))).message).toMatch(/update-index failed/);
    expect(fs.readlinkSync(path.join(repo, 'linked'))).toBe('/etc');
  });

  it('an unknown base branch, naming the repository and branch', async () => {
    const error = await refusal(workingRepo(), request({ base: 'develop' }));
    expect(error).toMatchObject({
      userFacing: true,
      message: expect.stringMatching(/repository "infra" \(.*\) has no branch "develop"/) as string,
    });
  });

  it('a path that is not a git repository, even inside one', async () => {
    const plain = tempDir();
    expect((await refusal(plain, request())).message).toMatch(/repository "infra": .* is not a git repository/);
    const error = await refusal(path.join(workingRepo(), 'modules'), request());
    expect(error).toMatchObject({ userFacing: true, message: expect.stringMatching(/modules is not a git repository/) as string });
  });

  it('a missing path and an unconfigured repository name', async () => {
    expect((await refusal(path.join(tempDir(), 'nope'), request())).message).toMatch(/repository "infra": .*nope does not exist/);
    const error = await refusal(workingRepo(), request({ repository: 'toString' }));
    expect(error).toMatchObject({ userFacing: true, message: 'repository "toString" is not configured (configured: infra)' });
  });

  it('a change that makes no difference to the base', async () => {
    const repo = workingRepo();
    const error = await refusal(repo, request({ files: [{ path: 'main.tf', content: INITIAL_FILES['main.tf'] }] }));
    expect(error).toMatchObject({ userFacing: true, message: expect.stringMatching(/^nothing to change/) as string });
    expect((await refusal(repo, request({ files: [] }))).message).toMatch(/^nothing to change/);
    expect(git(repo, 'branch', '--list', 'cloudmend/*')).toBe('');
  });

  it('an invalid branch name, the base itself, and a checked-out branch', async () => {
    const repo = workingRepo();
    expect((await refusal(repo, request({ branch: 'bad..name' }))).message).toMatch(/not a valid git branch name/);
    expect((await refusal(repo, request({ branch: 'main' }))).message).toMatch(/onto itself/);
    git(repo, 'switch', '--quiet', '--create', 'cloudmend/fix');
    expect((await refusal(repo, request())).message).toMatch(/is checked out/);
    expect(git(repo, 'rev-parse', 'cloudmend/fix')).toBe(git(repo, 'rev-parse', 'main'));
  });
});
