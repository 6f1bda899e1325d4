/**
 * Every request the GitHub adapters send in the flows cloudmend runs — a new pull request, the same
 * branch again, retries after server errors and rate limits, answers lost in transit, GitHub App
 * token exchange, snapshots — checked against GitHub's published REST description, and every answer
 * of the fake checked against the documented response so the fake cannot drift from GitHub.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { githubOctokit } from '../../src/scm/github-auth.js';
import { githubPullRequests, githubRepositories, type GitHubRetryOptions } from '../../src/scm/github.js';
import type { PullRequestInput } from '../../src/scm/port.js';
import { FakeGitHub, REPOSITORIES, TOKEN, error } from './github-fake.js';
import { checkExchange, specVersion, undocumented } from './github-openapi.js';
import { BRANCH, pullRequestInput } from './pull-request-input.js';

const MAIN_TF = 'resource "aws_s3_bucket" "logs" {}\n';
const BLOBS = /\/git\/blobs$/;
const PULLS = /\/pulls$/;
// The operations the adapters use; each must be exercised here, so a new one cannot go unchecked.
const OPERATIONS = [
  'apps/create-installation-access-token',
  'git/create-blob',
  'git/create-commit',
  'git/create-ref',
  'git/create-tree',
  'git/get-blob',
  'git/get-commit',
  'git/get-ref',
  'git/get-tree',
  'git/update-ref',
  'issues/add-labels',
  'pulls/create',
  'pulls/list',
  'pulls/update',
  'repos/get',
];

let fake: FakeGitHub;
const exercised = new Set<string>();
let checked = 0;

beforeEach(async () => {
  fake = await FakeGitHub.start();
  fake.commit('main', { 'main.tf': MAIN_TF, 'modules/kms/key.tf': 'resource "aws_kms_key" "k" {}\n' });
});

afterEach(async () => {
  await fake.close();
  for (const exchange of fake.exchanges) exercised.add(checkExchange(exchange).operationId ?? '(undocumented)');
  checked += fake.exchanges.length;
  expect(undocumented(fake.exchanges), `against api.github.com as @octokit/openapi ${specVersion()} describes it`).toEqual([]);
});

function input(overrides: Partial<PullRequestInput> = {}): PullRequestInput {
  return pullRequestInput({ files: [{ path: 'main.tf', content: `${MAIN_TF}# fixed\n` }], ...overrides });
}

function pullRequests(retry: GitHubRetryOptions = {}, octokit = githubOctokit({ auth: { token: TOKEN }, baseUrl: fake.url })) {
  return githubPullRequests({ octokit, repositories: REPOSITORIES, retry: { baseDelayMs: 5, ...retry } });
}

/** The operations of the requests so far, in order. */
function operations(): (string | undefined)[] {
  return fake.exchanges.map((exchange) => checkExchange(exchange).operationId);
}

describe('GitHub adapter requests, checked against the REST description', () => {
  it('opens a pull request on a new branch with documented requests only', async () => {
    const result = await pullRequests().open(
      input({
        files: [
          { path: 'main.tf', content: 'changed\n' },
          { path: 'modules/s3/policy.tf', content: 'new\n' },
        ],
      }),
    );

    expect(result).toMatchObject({ created: true, updated: false });
    expect(operations()).toEqual([
      'git/get-ref',
      'git/get-commit',
      'git/get-tree',
      'git/get-tree',
      'git/create-blob',
      'git/create-blob',
      'git/create-tree',
      'git/get-ref',
      'git/create-commit',
      'git/create-ref',
      'pulls/list',
      'pulls/create',
      'issues/add-labels',
    ]);
  });

  it('updates the branch and its pull request when run again with another change, never opening a second one', async () => {
    await pullRequests().open(input());
    const before = fake.exchanges.length;

    const result = await pullRequests().open(
      input({ title: 'Block public access (v2)', files: [{ path: 'main.tf', content: 'revised\n' }] }),
    );

    expect(result).toMatchObject({ id: 'github:acme/infra#1', created: false, updated: true });
    expect(operations().slice(before)).toEqual([
      'git/get-ref',
      'git/get-commit',
      'git/get-tree',
      'git/create-blob',
      'git/create-tree',
      'git/get-ref',
      'git/get-commit',
      'git/create-commit',
      'git/update-ref',
      'pulls/list',
      'pulls/update',
    ]);
    expect(fake.calls('POST', PULLS)).toHaveLength(1);
    expect(fake.pulls).toHaveLength(1);
  });

  it('writes nothing when the same change is opened twice', async () => {
    const first = await pullRequests().open(input());
    const before = fake.exchanges.length;

    const second = await pullRequests().open(input());

    expect(second).toEqual({ ...first, created: false, updated: false });
    expect(operations().slice(before)).toEqual([
      'git/get-ref',
      'git/get-commit',
      'git/get-tree',
      'git/create-blob',
      'git/create-tree',
      'git/get-ref',
      'git/get-commit',
      'pulls/list',
    ]);
  });

  it('retries server errors on reads and writes until GitHub recovers', async () => {
    fake.fail('GET', /\/git\/ref\//, 1, error(503, 'Service Unavailable'));
    fake.fail('POST', BLOBS, 2, error(502, 'Server Error'));
    fake.fail('POST', PULLS, 1, error(500, 'Server Error'));

    await expect(pullRequests().open(input())).resolves.toMatchObject({ created: true });
    expect(fake.calls('POST', BLOBS)).toHaveLength(3);
    expect(fake.calls('POST', PULLS)).toHaveLength(2);
    expect(fake.pulls).toHaveLength(1);
  });

  it.each([
    ['a secondary rate limit (403 with retry-after)', error(403, 'You have exceeded a secondary rate limit.', { 'retry-after': '0' })],
    [
      'a primary rate limit that has reset (403 with x-ratelimit-reset)',
      error(403, 'API rate limit exceeded', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) - 1),
      }),
    ],
    ['a 429 with retry-after', error(429, 'Too many requests', { 'retry-after': '0' })],
  ])('retries after %s', async (_name, answer) => {
    fake.fail('POST', /\/git\/trees$/, 1, answer);
    fake.fail('POST', /\/git\/commits$/, 1, answer);

    await expect(pullRequests().open(input())).resolves.toMatchObject({ created: true });
    expect(fake.calls('POST', /\/git\/trees$/)).toHaveLength(2);
    expect(fake.calls('POST', /\/git\/commits$/)).toHaveLength(2);
  });

  it('opens one pull request when the answer to opening it is lost and the request is retried', async () => {
    fake.fail('POST', PULLS, 1, 'lost');

    const result = await pullRequests({ timeoutMs: 200 }).open(input());

    expect(result.id).toBe('github:acme/infra#1');
    expect(fake.calls('POST', PULLS)).toHaveLength(2);
    expect(fake.pulls).toHaveLength(1);
  });

  it('keeps the branch it created when the answer to creating it is lost and the request is retried', async () => {
    fake.fail('POST', /\/git\/refs$/, 1, 'lost');

    const result = await pullRequests({ timeoutMs: 200 }).open(input());

    expect(result.commit).toBe(fake.refs.get(`refs/heads/${BRANCH}`));
    expect(fake.calls('POST', /\/git\/refs$/)).toHaveLength(2);
    expect(fake.calls('PATCH', /\/git\/refs\//)).toHaveLength(0);
    expect(fake.pulls).toHaveLength(1);
  });

  it('looks again after losing a race for the branch, with documented requests', async () => {
    await pullRequests().open(input());
    fake.fail('PATCH', /\/git\/refs\//, 1, error(422, 'Update is not a fast forward'));

    await expect(pullRequests().open(input({ files: [{ path: 'main.tf', content: 'raced\n' }] }))).resolves.toMatchObject({
      updated: true,
    });
    expect(fake.calls('PATCH', /\/git\/refs\//)).toHaveLength(2);
  });

  it('exchanges a GitHub App JWT for an installation token with a documented request', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    fake.app = { id: '123456', installationId: 42, publicKey };
    const octokit = githubOctokit({ auth: { appId: '123456', privateKey, installationId: 42 }, baseUrl: fake.url });

    await expect(pullRequests({}, octokit).open(input())).resolves.toMatchObject({ created: true });
    expect(operations()[0]).toBe('apps/create-installation-access-token');
  });

  it('takes a snapshot, walking the tree level by level when GitHub truncates the listing', async () => {
    fake.truncateRecursive = true;
    const repositories = githubRepositories({
      octokit: githubOctokit({ auth: { token: TOKEN }, baseUrl: fake.url }),
      repositories: REPOSITORIES,
      retry: { baseDelayMs: 5 },
    });

    try {
      await repositories.snapshot('infra', 'main');
    } finally {
      await repositories.close();
    }
    expect(new Set(operations())).toEqual(new Set(['git/get-ref', 'git/get-commit', 'git/get-tree', 'git/get-blob']));
    expect([...fake.calls('GET', /\/git\/trees\//)].map((r) => r.query.get('recursive'))).toEqual(['1', null, null, null]);
  });

  it('reads the repository to tell a missing base branch from a hidden repository', async () => {
    await expect(pullRequests().open(input({ base: 'develop' }))).rejects.toThrow(/has no branch "develop"/);
    expect(operations()).toEqual(['git/get-ref', 'repos/get']);
  });

  // Tests of a file run in order, so this one sees what all the others sent.
  it('has exercised every operation the adapters use', () => {
    expect([...exercised].sort()).toEqual(OPERATIONS);
    expect(checked).toBeGreaterThan(100);
  });
});
