/**
 * How the GitHub adapters fail: rate limits and server errors retried in process within bounds,
 * then transient; permission, missing and validation answers turned into errors that say what to
 * check.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScmError, TransientScmError } from '../../src/scm/errors.js';
import { githubOctokit } from '../../src/scm/github-auth.js';
import { githubPullRequests, type GitHubRetryOptions } from '../../src/scm/github.js';
import { FakeGitHub, REPOSITORIES, TOKEN, error } from './github-fake.js';
import { undocumented } from './github-openapi.js';
import { pullRequestInput } from './pull-request-input.js';

const INPUT = pullRequestInput({ title: 'Block public access', commitMessage: 'fix(s3): block public access', labels: undefined });
const BLOBS = /\/git\/blobs$/;

let fake: FakeGitHub;

beforeEach(async () => {
  fake = await FakeGitHub.start();
  fake.commit('main', { 'main.tf': 'original\n' });
});
afterEach(async () => {
  await fake.close();
  // Every request sent, and every answer of the fake, as GitHub's REST description documents them.
  expect(undocumented(fake.exchanges)).toEqual([]);
});

function open(retry: GitHubRetryOptions = {}, token = TOKEN) {
  const octokit = githubOctokit({ auth: { token }, baseUrl: fake.url });
  return githubPullRequests({ octokit, repositories: REPOSITORIES, retry: { baseDelayMs: 5, ...retry } }).open(INPUT);
}

/** The error `promise` rejects with. */
async function failure(promise: Promise<unknown>): Promise<ScmError> {
  const caught = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(caught).toBeInstanceOf(ScmError);
  return caught as ScmError;
}

describe('GitHub retries', () => {
  it('waits as long as retry-after says after a rate limit, then succeeds', async () => {
    fake.fail('POST', BLOBS, 1, error(403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0', 'retry-after': '1' }));
    const started = Date.now();

    const result = await open();

    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(result.created).toBe(true);
    expect(fake.calls('POST', BLOBS)).toHaveLength(2);
  });

  it('retries at once when the rate limit has already reset, and after a 429', async () => {
    fake.fail(
      'POST',
      BLOBS,
      1,
      error(403, 'API rate limit exceeded', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) - 1),
      }),
    );
    fake.fail('POST', /\/git\/trees$/, 1, error(429, 'Too many requests', { 'retry-after': '0' }));

    await expect(open()).resolves.toMatchObject({ created: true });
  });

  it('does not wait longer than its cap: a later retry-after is left to the caller, as a transient error', async () => {
    fake.fail('POST', BLOBS, 1, error(403, 'You have exceeded a secondary rate limit', { 'retry-after': '30' }));
    const started = Date.now();

    const caught = await failure(open({ maxDelayMs: 1000 }));

    expect(Date.now() - started).toBeLessThan(1000);
    expect(caught).toBeInstanceOf(TransientScmError);
    expect(caught.name).toBe('cloudmend.Transient');
    expect(caught.message).toMatch(/upload main\.tf on acme\/infra is rate limited .*wait 30 s/);
    expect(fake.calls('POST', BLOBS)).toHaveLength(1);
  });

  it('treats a secondary rate limit without a time as a minute: transient at once', async () => {
    fake.fail('POST', BLOBS, 1, error(403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'));

    await expect(open()).rejects.toThrow(TransientScmError);
    expect(fake.calls('POST', BLOBS)).toHaveLength(1);
  });

  it('retries server errors with backoff and succeeds when GitHub recovers', async () => {
    fake.fail('POST', BLOBS, 2, error(502, 'Server Error'));

    await expect(open()).resolves.toMatchObject({ created: true });
    expect(fake.calls('POST', BLOBS)).toHaveLength(3);
  });

  it('gives up after three retries of a 500 with a transient error', async () => {
    fake.fail('POST', BLOBS, 5, error(500, 'Server Error'));

    const caught = await failure(open());

    expect(caught).toBeInstanceOf(TransientScmError);
    expect(caught.message).toMatch(/upload main\.tf on acme\/infra failed with 500: Server Error.*tried 4 times; retry later/);
    expect(fake.calls('POST', BLOBS)).toHaveLength(4);
  });

  it('abandons a request that gets no answer and retries it', async () => {
    fake.fail('POST', BLOBS, 1, 'hang');

    await expect(open({ timeoutMs: 300 })).resolves.toMatchObject({ created: true });
    expect(fake.calls('POST', BLOBS)).toHaveLength(2);
  });

  it('gives up with a transient error when GitHub keeps not answering', async () => {
    fake.fail('POST', BLOBS, 4, 'hang');

    await expect(open({ timeoutMs: 100 })).rejects.toThrow(/upload main\.tf on acme\/infra got no answer \(.*timeout\), tried 4 times/);
  });
});

describe('GitHub failures', () => {
  it('names the permission to grant when a write is forbidden', async () => {
    fake.fail('POST', BLOBS, 1, error(403, 'Resource not accessible by integration'));

    const caught = await failure(open());

    expect(caught).not.toBeInstanceOf(TransientScmError);
    expect(caught.userFacing).toBe(true);
    expect(caught.message).toMatch(
      /upload main\.tf on acme\/infra failed \(403: Resource not accessible by integration.*the GitHub App needs Contents: write on acme\/infra/,
    );
    expect(fake.calls('POST', BLOBS)).toHaveLength(1);
  });

  it('names the pull request permission when opening the pull request is forbidden', async () => {
    fake.fail('POST', /\/pulls$/, 1, error(403, 'Resource not accessible by integration'));

    await expect(open()).rejects.toThrow(/the GitHub App needs Pull requests: write on acme\/infra/);
  });

  it('says the credentials were rejected, without quoting them', async () => {
    const caught = await failure(open({}, 'ghp_wrong-token-secret'));

    expect(caught.message).toMatch(/401: Bad credentials.*check the token, or the GitHub App's id, private key and installation id/);
    expect(caught.message).not.toContain('ghp_wrong-token-secret');
    expect(JSON.stringify(caught.cause)).not.toContain('ghp_wrong-token-secret');
  });

  it('reports a validation failure with GitHub’s message and what to check', async () => {
    fake.fail('POST', /\/git\/trees$/, 1, error(422, 'Invalid tree info'));

    const caught = await failure(open());

    expect(caught.userFacing).toBe(true);
    expect(caught.message).toMatch(/create a tree on acme\/infra failed \(422: Invalid tree info.*found the request invalid/);
  });

  it('says an empty repository needs a first commit', async () => {
    fake.fail('GET', /\/git\/ref\//, 1, error(409, 'Git Repository is empty.'));

    await expect(open()).rejects.toThrow(/read branch "main" on acme\/infra failed \(409: Git Repository is empty.*push a first commit/);
  });

  it('reports a ruleset refusing the branch as final, not as a race', async () => {
    fake.fail('POST', /\/git\/refs$/, 1, error(422, 'Repository rule violations found'));

    await expect(open()).rejects.toThrow(
      /refused to move branch "cloudmend\/s3\.8-1a2b3c4d5e6f7a8b" of acme\/infra \(422: Repository rule violations found/,
    );
    expect(fake.calls('POST', /\/git\/refs$/)).toHaveLength(1);
  });
});
