/**
 * A branch belongs to the finding or batch its commits name in their trailer. Both adapters (local
 * git on a real repository, GitHub against the fake server) keep updating their own branch, and
 * refuse to move one whose last commit names another owner, or none, leaving it and its pull
 * request as they were.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ownerOf, withOwnerTrailer } from '../../src/scm/branch-owner.js';
import { BranchOwnershipError, ScmError } from '../../src/scm/errors.js';
import { githubOctokit } from '../../src/scm/github-auth.js';
import { githubPullRequests } from '../../src/scm/github.js';
import { localGitPullRequests } from '../../src/scm/local-git.js';
import type { BranchOwner, PullRequestInput, PullRequestResult } from '../../src/scm/port.js';
import { INITIAL_FILES, commitFiles, git, removeTempDirs, workingRepo } from './git-fixture.js';
import { FakeGitHub, REPOSITORIES, TOKEN } from './github-fake.js';
import { undocumented } from './github-openapi.js';
import { BRANCH, OWNER, pullRequestInput } from './pull-request-input.js';

const OTHER: BranchOwner = { kind: 'finding', id: '1a2b3c4d5e6f7a8bffffffffffffffff' };

describe('ownerOf', () => {
  it.each<[string, string, BranchOwner | undefined]>([
    ['a finding', 'fix\n\nCloudmend-Fingerprint: 0123abcd\n', { kind: 'finding', id: '0123abcd' }],
    ['a batch', 'fix\n\nnotes\n\nCloudmend-Batch: 0f1e2d3c4b5a6978', { kind: 'batch', id: '0f1e2d3c4b5a6978' }],
    [
      'a trailer among others',
      'fix\n\nCloudmend-Fingerprint: 0123abcd\nSigned-off-by: A <a@example.com>\n',
      { kind: 'finding', id: '0123abcd' },
    ],
    ['CR LF line ends', 'fix\r\n\r\nCloudmend-Fingerprint: 0123abcd\r\n', { kind: 'finding', id: '0123abcd' }],
    ['no trailer', 'a person’s commit', undefined],
    ['a trailer only in the subject', 'Cloudmend-Fingerprint: 0123abcd', { kind: 'finding', id: '0123abcd' }],
    ['a trailer above the last paragraph', 'fix\n\nCloudmend-Fingerprint: 0123abcd\n\nmore text', undefined],
    ['two owners', 'fix\n\nCloudmend-Fingerprint: 0123abcd\nCloudmend-Fingerprint: 4567ef01', undefined],
    ['a finding and a batch', 'fix\n\nCloudmend-Fingerprint: 0123abcd\nCloudmend-Batch: 0123abcd', undefined],
    ['another key', 'fix\n\nCloudmend-Finding: 0123abcd', undefined],
  ])('reads %s', (_name, message, owner) => {
    expect(ownerOf(message)).toEqual(owner);
  });

  it('reads back the trailer withOwnerTrailer writes, whatever the message ends with', () => {
    for (const message of ['fix', 'fix\n\nCloudmend-Fingerprint: 4567ef01', 'fix\n\n- note\n\n\n', '']) {
      expect(ownerOf(withOwnerTrailer(message, OWNER))).toEqual(OWNER);
    }
    expect(withOwnerTrailer('fix\n', { kind: 'batch', id: '0f1e' })).toBe('fix\n\nCloudmend-Batch: 0f1e\n');
  });

  it.each(['', 'a b', 'a\nCloudmend-Fingerprint: x', '-x', 'x'.repeat(129)])('refuses the owner id %j', (id) => {
    expect(() => withOwnerTrailer('fix', { kind: 'finding', id })).toThrow(/as a branch owner: letters, digits/);
  });
});

/** A pull-request host as a test sees it: the adapter, where branches point, and the pull requests it keeps. */
interface Host {
  open(input: PullRequestInput): Promise<PullRequestResult>;
  head(branch: string): string | undefined;
  /** A person's commit of `files` on top of `branch`, without a trailer. */
  commitAsPerson(branch: string, files: Record<string, string>): void;
  /** The pull requests the host keeps (the local adapter keeps none: its records are the ledger's). */
  pulls(): unknown[];
  /** Commits written by the adapter so far. */
  commitsWritten(): number;
  close(): Promise<void>;
}

function localHost(): Promise<Host> {
  const repo = workingRepo();
  const adapter = localGitPullRequests({ repositories: { infra: { path: repo, defaultBranch: 'main' } } });
  const written = (): number => Number(git(repo, 'rev-list', '--count', '--all', '--author=cloudmend'));
  return Promise.resolve({
    open: (input) => adapter.open(input),
    head: (branch) => git(repo, 'for-each-ref', '--format=%(objectname)', `refs/heads/${branch}`) || undefined,
    commitAsPerson: (branch, files) => {
      git(repo, 'switch', '--quiet', branch);
      commitFiles(repo, files, 'review: tighten the policy');
      git(repo, 'switch', '--quiet', 'main');
    },
    pulls: () => [],
    commitsWritten: written,
    close: () => Promise.resolve(),
  });
}

async function githubHost(): Promise<Host> {
  const fake = await FakeGitHub.start();
  fake.commit('main', INITIAL_FILES);
  const adapter = githubPullRequests({
    octokit: githubOctokit({ auth: { token: TOKEN }, baseUrl: fake.url }),
    repositories: REPOSITORIES,
    retry: { baseDelayMs: 5 },
  });
  return {
    open: (input) => adapter.open(input),
    head: (branch) => fake.refs.get(`refs/heads/${branch}`),
    commitAsPerson: (branch, files) => void fake.commit(branch, files, 'review: tighten the policy'),
    pulls: () => structuredClone(fake.pulls),
    commitsWritten: () => fake.calls('POST', /\/git\/commits$/).length,
    close: async () => {
      await fake.close();
      // Every request, the reads of the branch tip included, as GitHub's REST description documents it.
      expect(undocumented(fake.exchanges)).toEqual([]);
    },
  };
}

function request(owner: BranchOwner, content: string, overrides: Partial<PullRequestInput> = {}): PullRequestInput {
  return pullRequestInput({
    owner,
    title: `Fix for ${owner.id}`,
    body: `Body for ${owner.id}`,
    files: [{ path: 'main.tf', content }],
    ...overrides,
  });
}

describe.each([
  ['the local git adapter', localHost],
  ['the GitHub adapter', githubHost],
])('%s', (_name, makeHost) => {
  let host: Host;
  afterEach(async () => {
    await host.close();
    removeTempDirs();
  });

  it('refuses a second finding whose branch name collides, leaving the first one’s branch and pull request intact', async () => {
    host = await makeHost();
    const first = await host.open(request(OWNER, 'first\n'));
    const pulls = host.pulls();
    const written = host.commitsWritten();

    for (const content of ['second\n', 'first\n']) {
      const error = await host.open(request(OTHER, content)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BranchOwnershipError);
      expect(error).toBeInstanceOf(ScmError);
      expect(error).toMatchObject({ name: 'BranchOwnershipError', userFacing: true });
      expect((error as Error).message).toContain(
        `for finding ${OTHER.id}: its last commit ${first.commit.slice(0, 12)} belongs to finding ${OWNER.id}`,
      );
    }

    expect(host.head(BRANCH)).toBe(first.commit);
    expect(host.pulls()).toEqual(pulls);
    expect(host.commitsWritten()).toBe(written);
  });

  it('refuses a batch whose id equals a finding’s fingerprint: the kinds differ', async () => {
    host = await makeHost();
    const first = await host.open(request(OWNER, 'first\n'));

    await expect(host.open(request({ kind: 'batch', id: OWNER.id }, 'batch\n'))).rejects.toThrow(BranchOwnershipError);
    expect(host.head(BRANCH)).toBe(first.commit);
  });

  it('refuses a branch whose last commit cloudmend did not write', async () => {
    host = await makeHost();
    await host.open(request(OWNER, 'first\n'));
    host.commitAsPerson(BRANCH, { 'review.tf': 'a reviewer’s change\n' });
    const theirs = host.head(BRANCH);

    const error = await host.open(request(OWNER, 'again\n')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BranchOwnershipError);
    expect((error as Error).message).toMatch(
      /has no Cloudmend-Fingerprint or Cloudmend-Batch trailer: cloudmend did not write it .*delete the branch/,
    );
    expect(host.head(BRANCH)).toBe(theirs);
  });

  it('keeps updating its own branch: the same change leaves it, a new one moves it', async () => {
    host = await makeHost();
    const first = await host.open(request(OWNER, 'first\n'));

    const same = await host.open(request(OWNER, 'first\n'));
    const moved = await host.open(request(OWNER, 'revised\n'));

    expect(same).toMatchObject({ commit: first.commit, created: false, updated: false });
    expect(moved).toMatchObject({ created: false, updated: true });
    expect(host.head(BRANCH)).toBe(moved.commit);
  });
});
