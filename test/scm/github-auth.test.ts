/**
 * GitHub App authentication against the fake REST API (installation tokens minted for a JWT signed
 * with a key generated here), malformed credentials, and secrets kept out of errors and logs.
 */
import { generateKeyPairSync, type KeyPairSyncResult } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { ScmError } from '../../src/scm/errors.js';
import { githubOctokit, type GitHubAppCredentials } from '../../src/scm/github-auth.js';
import { githubPullRequests, githubRepositories } from '../../src/scm/github.js';
import { FakeGitHub, REPOSITORIES, TOKEN, error } from './github-fake.js';
import { undocumented } from './github-openapi.js';
import { pullRequestInput } from './pull-request-input.js';

const APP_ID = '123456';
const INSTALLATION_ID = 42;
const INPUT = pullRequestInput({ title: 'Block public access', commitMessage: 'fix(s3): block public access', labels: undefined });

let appKey: KeyPairSyncResult<string, string>;
let otherKey: string;
let fake: FakeGitHub;
let logged: MockInstance<(...args: unknown[]) => void>[];

/** A key pair as PEM strings; PKCS#1 is the format of the .pem files GitHub generates. */
function keyPair(format: 'pkcs1' | 'pkcs8' = 'pkcs1'): KeyPairSyncResult<string, string> {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: format, format: 'pem' },
  });
}

beforeAll(() => {
  appKey = keyPair();
  otherKey = keyPair().privateKey;
});

beforeEach(async () => {
  fake = await FakeGitHub.start();
  fake.commit('main', { 'main.tf': 'original\n' });
  fake.app = { id: APP_ID, installationId: INSTALLATION_ID, publicKey: appKey.publicKey };
  logged = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation(() => undefined),
  );
});

afterEach(async () => {
  // Nothing cloudmend or Octokit logged may carry a secret either.
  const text = logged.flatMap((spy) => spy.mock.calls.map((call) => inspect(call, { depth: 20 }))).join('\n');
  expectNoSecret(text);
  vi.restoreAllMocks();
  await fake.close();
  expect(undocumented(fake.exchanges)).toEqual([]);
});

function app(overrides: Partial<GitHubAppCredentials> = {}) {
  return githubOctokit({
    auth: { appId: APP_ID, privateKey: appKey.privateKey, installationId: INSTALLATION_ID, ...overrides },
    baseUrl: fake.url,
  });
}

/** The private keys, the JWTs sent and the installation tokens minted so far. */
function secrets(): string[] {
  const keyLines = [appKey.privateKey, otherKey].flatMap((key) => key.split('\n').filter((line) => line.length > 20));
  const jwts = fake.requests.flatMap((r) => (r.authorization?.startsWith('bearer ') === true ? [r.authorization.slice(7)] : []));
  return [...keyLines, ...jwts, ...[...fake.tokens].filter((token) => token !== TOKEN)];
}

function expectNoSecret(text: string): void {
  for (const secret of secrets()) expect(text).not.toContain(secret);
}

async function failure(promise: Promise<unknown>): Promise<ScmError> {
  const caught = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(caught).toBeInstanceOf(ScmError);
  expectNoSecret(inspect(caught, { depth: 20 }));
  return caught as ScmError;
}

describe('githubOctokit with a GitHub App', () => {
  it('mints an installation token with a JWT signed by the App key and uses it for every call', async () => {
    const octokit = app();

    const result = await githubPullRequests({ octokit, repositories: REPOSITORIES }).open(INPUT);
    const snapshots = githubRepositories({ octokit, repositories: REPOSITORIES });
    await snapshots.snapshot('infra', 'main');
    await snapshots.close();

    expect(result.created).toBe(true);
    const minted = fake.calls('POST', /^\/app\/installations\/42\/access_tokens$/);
    expect(minted).toHaveLength(1);
    const [, payload = ''] = minted[0]?.authorization?.split('.') ?? [];
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).toMatchObject({ iss: APP_ID });
    const [token] = [...fake.tokens].filter((t) => t !== TOKEN);
    const repoCalls = fake.requests.filter((r) => r.path.startsWith('/repos/'));
    expect(repoCalls.length).toBeGreaterThan(5);
    expect(new Set(repoCalls.map((r) => r.authorization))).toEqual(new Set([`token ${token}`]));
  });

  it('accepts a PKCS#8 key with its line breaks escaped, as environment variables hold it', async () => {
    const { privateKey, publicKey } = keyPair('pkcs8');
    fake.app = { id: APP_ID, installationId: INSTALLATION_ID, publicKey };

    await expect(
      githubPullRequests({ octokit: app({ privateKey: privateKey.replace(/\n/g, '\\n') }), repositories: REPOSITORIES }).open(INPUT),
    ).resolves.toMatchObject({ created: true });
  });

  it('says the installation token was refused when the installation id is wrong', async () => {
    const caught = await failure(githubPullRequests({ octokit: app({ installationId: 7 }), repositories: REPOSITORIES }).open(INPUT));

    expect(caught.userFacing).toBe(true);
    expect(caught.message).toMatch(
      /\(404: Not Found.*refused the GitHub App's installation token; check the app id, the private key and that the installation id belongs to this app/,
    );
  });

  it('says the installation token was refused when the key is another app’s, without quoting key or JWT', async () => {
    const caught = await failure(githubPullRequests({ octokit: app({ privateKey: otherKey }), repositories: REPOSITORIES }).open(INPUT));

    expect(caught.message).toMatch(/401: A JSON web token could not be decoded.*installation token/);
  });

  it('keeps the installation token out of a later failure', async () => {
    fake.fail('POST', /\/git\/blobs$/, 1, error(403, 'Resource not accessible by integration'));

    const caught = await failure(githubPullRequests({ octokit: app(), repositories: REPOSITORIES }).open(INPUT));

    expect(caught.message).toMatch(/needs Contents: write on acme\/infra/);
    expect(fake.tokens.size).toBe(2);
  });
});

describe('githubOctokit credential checks', () => {
  it('refuses a private key that is not a PEM key, without quoting it', () => {
    const notAKey = 'MIIEpAIBAAKCAQEA-not-really-a-key-but-secret-all-the-same';
    expect(() => app({ privateKey: notAKey })).toThrow(
      /the GitHub App private key is not a PEM private key; give the contents of the \.pem file GitHub generated for app 123456/,
    );
    let message = '';
    try {
      app({ privateKey: notAKey });
    } catch (e) {
      message = inspect(e, { depth: 20 });
    }
    expect(message).not.toContain(notAKey);
  });

  it.each([
    ['an empty token', { token: ' ' }, /the GitHub token is empty/],
    ['an empty app id', { appId: '', privateKey: 'x', installationId: 1 }, /the GitHub App id is empty/],
    [
      'an installation id that is not a positive integer',
      { appId: APP_ID, privateKey: 'x', installationId: 0 },
      /installation id must be a positive integer/,
    ],
  ])('refuses %s', (_name, auth, reason) => {
    expect(() => githubOctokit({ auth })).toThrow(reason);
    expect(() => githubOctokit({ auth })).toThrow(ScmError);
  });
});
