/**
 * The GitHub pull-request adapter against an in-process fake of the REST API: the commit and tree
 * it writes, idempotency by branch, updates, labels, lost races and refusals.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScmError, TransientScmError } from '../../src/scm/errors.js';
import { githubOctokit } from '../../src/scm/github-auth.js';
import { githubPullRequests, type GitHubPullRequestsOptions } from '../../src/scm/github.js';
import type { PullRequestInput } from '../../src/scm/port.js';
import { FakeGitHub, REPOSITORIES, TOKEN, error } from './github-fake.js';
import { undocumented } from './github-openapi.js';
import { BRANCH, committedMessage, pullRequestInput } from './pull-request-input.js';

const MAIN_TF = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n';
const KEY_TF = 'resource "aws_kms_key" "k" {}\n';

let fake: FakeGitHub;

beforeEach(async () => {
  fake = await FakeGitHub.start();
  fake.commit('main', { 'main.tf': MAIN_TF, 'modules/kms/key.tf': KEY_TF });
});
afterEach(async () => {
  await fake.close();
  // Every request sent, and every answer of the fake, as GitHub's REST description documents them.
  expect(undocumented(fake.exchanges)).toEqual([]);
});

function request(overrides: Partial<PullRequestInput> = {}): PullRequestInput {
  return pullRequestInput({ files: [{ path: 'main.tf', content: `${MAIN_TF}# fixed\n` }], ...overrides });
}

function adapter(options: Partial<GitHubPullRequestsOptions> = {}) {
  const octokit = githubOctokit({ auth: { token: TOKEN }, baseUrl: fake.url });
  return githubPullRequests({ octokit, repositories: REPOSITORIES, retry: { baseDelayMs: 5 }, ...options });
}

const head = (branch: string): string | undefined => fake.refs.get(`refs/heads/${branch}`);
const commitOf = (sha: string) => fake.store.get(sha, 'commit');

describe('githubPullRequests', () => {
  it('creates the branch from the base tree plus the files, by cloudmend, and opens a labelled pull request', async () => {
    const base = head('main') ?? '';
    const input = request({
      files: [
        { path: 'main.tf', content: 'changed\n' },
        { path: 'modules/s3/policy.tf', content: 'new file in a new directory\n' },
      ],
    });

    const result = await adapter().open(input);

    expect(result).toEqual({
      id: 'github:acme/infra#1',
      branch: BRANCH,
      commit: head(BRANCH),
      url: 'https://github.example/acme/infra/pull/1',
      created: true,
      updated: false,
    });
    expect(commitOf(result.commit)).toMatchObject({
      parents: [base],
      message: committedMessage(input),
      author: { name: 'cloudmend', email: 'cloudmend@localhost' },
    });
    expect(fake.filesOf(result.commit)).toEqual({
      'main.tf': 'changed\n',
      'modules/kms/key.tf': KEY_TF,
      'modules/s3/policy.tf': 'new file in a new directory\n',
    });
    expect(fake.pulls).toEqual([
      { number: 1, title: input.title, body: input.body, head: BRANCH, base: 'main', state: 'open', labels: ['cloudmend'] },
    ]);
    expect(fake.calls('POST', /\/git\/blobs$/)).toHaveLength(2);
    expect(fake.calls('PATCH', /\/git\/refs\//)).toHaveLength(0);
  });

  it('uses the configured author, keeps an executable file executable and sends non-ASCII content intact', async () => {
    fake.commit('main', { 'fix.sh': { content: '#!/bin/sh\n', mode: '100755' } });
    const files = [{ path: 'fix.sh', content: '#!/bin/sh\necho "déjà vu ✓"\n' }];

    const result = await adapter({ author: { name: 'Sec Bot', email: 'bot@example.com' } }).open(request({ files }));

    expect(commitOf(result.commit)?.author).toEqual({ name: 'Sec Bot', email: 'bot@example.com' });
    expect(fake.store.flatten(commitOf(result.commit)?.tree ?? '').find((e) => e.path === 'fix.sh')?.mode).toBe('100755');
    expect(fake.filesOf(result.commit)['fix.sh']).toBe(files[0]?.content);
  });

  it('opens the same change twice without a new commit or a second pull request', async () => {
    const first = await adapter().open(request());
    const commits = fake.calls('POST', /\/git\/commits$/).length;

    const second = await adapter().open(request());

    expect(second).toEqual({ ...first, created: false, updated: false });
    expect(fake.calls('POST', /\/git\/commits$/)).toHaveLength(commits);
    expect(fake.calls('POST', /\/pulls$/)).toHaveLength(1);
    expect(fake.calls('PATCH', /\/pulls\//)).toHaveLength(0);
    expect(fake.calls('POST', /\/labels$/)).toHaveLength(1);
    expect(fake.pulls).toHaveLength(1);
  });

  it('moves the branch forward for a changed patch and updates the pull request', async () => {
    const first = await adapter().open(request());

    const second = await adapter().open(
      request({ title: 'Block public access (v2)', body: 'Fixes S3.8, revised.', files: [{ path: 'main.tf', content: 'revised\n' }] }),
    );

    expect(second).toMatchObject({ id: first.id, created: false, updated: true });
    expect(second.commit).not.toBe(first.commit);
    expect(head(BRANCH)).toBe(second.commit);
    expect(commitOf(second.commit)?.parents).toEqual([first.commit]);
    expect(fake.filesOf(second.commit)['main.tf']).toBe('revised\n');
    expect(fake.calls('PATCH', /\/git\/refs\//).map((r) => r.body.force)).toEqual([false]);
    expect(fake.pulls).toMatchObject([{ number: 1, title: 'Block public access (v2)', body: 'Fixes S3.8, revised.' }]);
  });

  it('adds only the labels the pull request lacks, and none when none are asked for', async () => {
    await adapter().open(request({ labels: [] }));
    expect(fake.calls('POST', /\/labels$/)).toHaveLength(0);

    await adapter().open(request({ labels: ['cloudmend', 'security'] }));
    await adapter().open(request({ labels: ['security', 'severity:high'] }));

    expect(fake.calls('POST', /\/labels$/).map((r) => r.body.labels)).toEqual([['cloudmend', 'security'], ['severity:high']]);
    expect(fake.pulls[0]?.labels).toEqual(['cloudmend', 'security', 'severity:high']);
    expect([...fake.labels]).toEqual(['cloudmend', 'security', 'severity:high']);
  });

  it('opens a new pull request when the earlier one of the branch was closed', async () => {
    await adapter().open(request());
    const closed = fake.pulls[0];
    if (closed !== undefined) closed.state = 'closed';

    const result = await adapter().open(request({ files: [{ path: 'main.tf', content: 'again\n' }] }));

    expect(result).toMatchObject({ id: 'github:acme/infra#2', updated: true });
  });

  it('looks again when another writer moved the branch first', async () => {
    await adapter().open(request());
    fake.fail('PATCH', /\/git\/refs\//, 1, error(422, 'Update is not a fast forward'));

    const result = await adapter().open(request({ files: [{ path: 'main.tf', content: 'raced\n' }] }));

    expect(result).toMatchObject({ updated: true, commit: head(BRANCH) });
    expect(fake.calls('PATCH', /\/git\/refs\//)).toHaveLength(2);
  });

  it('gives up with a transient error when the branch keeps moving under it', async () => {
    await adapter().open(request());
    fake.fail('PATCH', /\/git\/refs\//, 2, error(422, 'Update is not a fast forward'));

    await expect(adapter().open(request({ files: [{ path: 'main.tf', content: 'raced\n' }] }))).rejects.toThrow(TransientScmError);
  });

  it('uses the pull request a concurrent open created', async () => {
    await adapter().open(request());
    // The lookup misses the pull request, as if it were created just after.
    fake.fail('GET', /\/pulls$/, 1, { status: 200, body: [] });

    const result = await adapter().open(request());

    expect(result.id).toBe('github:acme/infra#1');
    expect(fake.pulls).toHaveLength(1);
  });

  it('refuses a change that leaves the base as it is', async () => {
    await expect(adapter().open(request({ files: [{ path: 'main.tf', content: MAIN_TF }] }))).rejects.toThrow(/nothing to change/);
    expect(head(BRANCH)).toBeUndefined();
  });

  it.each([
    ['../outside.tf', /contains "\.\."/],
    ['/etc/passwd', /is absolute/],
    ['.git/config', /goes into \.git/],
    ['modules\\s3.tf', /backslash/],
    ['a//b.tf', /empty component/],
  ])('refuses the file path %j before calling GitHub', async (path, reason) => {
    const failure = adapter().open(request({ files: [{ path, content: 'x' }] }));
    await expect(failure).rejects.toThrow(reason);
    await expect(failure).rejects.toMatchObject({ userFacing: true });
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    [
      'a file given twice',
      {
        files: [
          { path: 'main.tf', content: 'a' },
          { path: 'main.tf', content: 'b' },
        ],
      },
      /given twice/,
    ],
    ['no files', { files: [] }, /no files given/],
    ['an invalid branch name', { branch: 'cloudmend/bad..name' }, /not a valid|contains "\.\."/],
    ['a branch name with a space', { branch: 'cloudmend/a b' }, /space/],
    ['the base as the branch', { branch: 'main' }, /onto itself/],
    ['an unknown repository', { repository: 'nope' }, /"nope" is not configured \(configured: infra\)/],
  ])('refuses %s before calling GitHub', async (_name, overrides, reason) => {
    await expect(adapter().open(request(overrides))).rejects.toThrow(reason);
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    ['a symlink', { 'link.tf': { mode: '120000', content: 'main.tf' } }, 'link.tf', /it is a symlink/],
    ['a submodule', { vendor: { mode: '160000', sha: 'a'.repeat(40) } }, 'vendor', /it is a submodule/],
    ['a directory', {}, 'modules/kms', /it is a directory/],
    ['under a file', {}, 'main.tf/nested.tf', /main\.tf is a file/],
  ])('refuses to write over %s on the base branch', async (_name, files, path, reason) => {
    fake.commit('main', files);
    await expect(adapter().open(request({ files: [{ path, content: 'x\n' }] }))).rejects.toThrow(reason);
    expect(head(BRANCH)).toBeUndefined();
  });

  it('says so when the base branch does not exist', async () => {
    const failure = adapter().open(request({ base: 'develop' }));
    await expect(failure).rejects.toThrow('repository "infra" (acme/infra on GitHub) has no branch "develop"');
    await expect(failure).rejects.toMatchObject({ userFacing: true });
  });

  it('says so when the repository is missing or hidden', async () => {
    const repositories = { infra: { owner: 'acme', repo: 'gone', defaultBranch: 'main' } };
    const failure = adapter({ repositories }).open(request());
    await expect(failure).rejects.toThrow(ScmError);
    await expect(failure).rejects.toThrow(/acme\/gone does not exist or is not visible; .*GitHub App is installed on it.*Metadata: read/);
  });
});
