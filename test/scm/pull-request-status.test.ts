/**
 * Where a pull request stands and how it ends, on both adapters (local git on a real repository,
 * GitHub against the fake server): `status` (open, merged, closed, missing; whether the base moved),
 * regeneration on a moved base through `open`, and `retire` only by the branch's owner.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BranchOwnershipError } from '../../src/scm/errors.js';
import { githubOctokit } from '../../src/scm/github-auth.js';
import { githubPullRequests } from '../../src/scm/github.js';
import { localGitPullRequests } from '../../src/scm/local-git.js';
import type { BranchOwner, PullRequests } from '../../src/scm/port.js';
import { INITIAL_FILES, commitFiles, filesAt, git, removeTempDirs, workingRepo } from './git-fixture.js';
import { FakeGitHub, REPOSITORIES, TOKEN } from './github-fake.js';
import { undocumented } from './github-openapi.js';
import { BRANCH, OWNER, pullRequestInput } from './pull-request-input.js';

const OTHER: BranchOwner = { kind: 'finding', id: '1a2b3c4d5e6f7a8bffffffffffffffff' };
const FIXED = `${INITIAL_FILES['main.tf']}# fixed\n`;
const REF = { repository: 'infra', branch: BRANCH };

/** A host as the tests drive it: the adapter and what a person does on the host. */
interface Host {
  readonly adapter: PullRequests;
  head(branch: string): string | undefined;
  parents(commit: string): string[];
  files(commit: string): Record<string, string>;
  /** A person's commit on `branch` (no trailer). */
  commitOn(branch: string, files: Record<string, string>): string;
  /** Merges the branch's pull request into `main`. */
  merge(branch: string): void;
  /** Closes the branch's pull request unmerged; undefined where the host has none. */
  readonly closeUnmerged: ((branch: string) => void) | undefined;
  /** Pull requests still open, and the comments written on them (empty locally). */
  openPulls(): number;
  comments(): string[];
  close(): Promise<void>;
}

function localHost(): Promise<Host> {
  const repo = workingRepo();
  return Promise.resolve({
    adapter: localGitPullRequests({ repositories: { infra: { path: repo, defaultBranch: 'main' } } }),
    head: (branch) => git(repo, 'for-each-ref', '--format=%(objectname)', `refs/heads/${branch}`) || undefined,
    parents: (commit) => git(repo, 'rev-parse', `${commit}^@`).split('\n').filter(Boolean),
    files: (commit) => filesAt(repo, commit),
    commitOn: (branch, files) => {
      git(repo, 'switch', '--quiet', branch);
      const commit = commitFiles(repo, files, 'someone’s change');
      git(repo, 'switch', '--quiet', 'main');
      return commit;
    },
    merge: (branch) => void git(repo, 'merge', '--quiet', '--no-edit', branch),
    closeUnmerged: undefined,
    openPulls: () => 0,
    comments: () => [],
    close: () => Promise.resolve(),
  });
}

async function githubHost(): Promise<Host> {
  const fake = await FakeGitHub.start();
  fake.commit('main', INITIAL_FILES);
  const pull = (branch: string) => fake.pulls.find((p) => p.head === branch && p.state === 'open')!;
  return {
    adapter: githubPullRequests({
      octokit: githubOctokit({ auth: { token: TOKEN }, baseUrl: fake.url }),
      repositories: REPOSITORIES,
      retry: { baseDelayMs: 5 },
    }),
    head: (branch) => fake.refs.get(`refs/heads/${branch}`),
    parents: (commit) => [...(fake.store.get(commit, 'commit')?.parents ?? [])],
    files: (commit) => fake.filesOf(commit),
    commitOn: (branch, files) => fake.commit(branch, files, 'someone’s change'),
    merge: (branch) => {
      Object.assign(pull(branch), { state: 'closed', merged: true });
      fake.refs.set('refs/heads/main', fake.refs.get(`refs/heads/${branch}`)!);
    },
    closeUnmerged: (branch) => void (pull(branch).state = 'closed'),
    openPulls: () => fake.pulls.filter((p) => p.state === 'open').length,
    comments: () => fake.comments.map((c) => c.body),
    close: async () => {
      await fake.close();
      expect(undocumented(fake.exchanges)).toEqual([]);
    },
  };
}

afterEach(removeTempDirs);

describe.each([
  ['the local git adapter', localHost],
  ['the GitHub adapter', githubHost],
])('%s', (_name, makeHost) => {
  let host: Host;
  beforeEach(async () => {
    host = await makeHost();
  });
  afterEach(async () => {
    await host.close();
  });
  const status = () => host.adapter.status({ ...REF, base: 'main' });
  const open = (content = FIXED) => host.adapter.open(pullRequestInput({ files: [{ path: 'main.tf', content }] }));

  it('says missing before the branch exists, then open on the default head, with its head and owner', async () => {
    expect(await status()).toEqual({ state: 'missing', baseMoved: false });
    const opened = await open();
    expect(await status()).toEqual({ state: 'open', head: opened.commit, owner: OWNER, baseMoved: false });
  });

  it('sees the base move, and regenerates the branch on the new default head by opening it again: forward, based on it, no conflict', async () => {
    const first = await open();
    const main = host.commitOn('main', { 'modules/kms/key.tf': 'resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n' });
    expect(await status()).toMatchObject({ state: 'open', head: first.commit, baseMoved: true });

    const again = await open();
    expect(again).toMatchObject({ created: false, updated: true, commit: host.head(BRANCH) });
    expect(host.parents(again.commit)).toEqual([first.commit, main]);
    expect(host.files(again.commit)).toEqual({ ...host.files(main), 'main.tf': FIXED });
    expect(await status()).toEqual({ state: 'open', head: again.commit, owner: OWNER, baseMoved: false });
    // Once based on the head, an update is a plain commit on the branch again.
    const third = await open(`${FIXED}# and more\n`);
    expect(host.parents(third.commit)).toEqual([again.commit]);
    host.merge(BRANCH);
    expect(host.files(host.head('main')!)['main.tf']).toBe(`${FIXED}# and more\n`);
  });

  it('says merged once the pull request is merged', async () => {
    await open();
    host.merge(BRANCH);
    expect(await status()).toMatchObject({ state: 'merged', baseMoved: false });
  });

  it('says who wrote the last commit: none when a person did', async () => {
    await open();
    const theirs = host.commitOn(BRANCH, { 'other.tf': '# x\n' });
    // Whether its base moved is not asked of GitHub past a person's commit: cloudmend does not move such a branch.
    expect(await status()).toMatchObject({ state: 'open', head: theirs, owner: undefined });
  });

  it('retires its own branch: deletes it and, on GitHub, comments on and closes its pull request', async () => {
    await open();
    const result = await host.adapter.retire({
      ...REF,
      owner: OWNER,
      reason: 'Closed: the default branch moved and the fix is in another change.',
    });
    expect(result.retired).toBe(true);
    expect(host.head(BRANCH)).toBeUndefined();
    expect(host.openPulls()).toBe(0);
    if (host.closeUnmerged !== undefined) {
      expect(result.pullRequestId).toBe('github:acme/infra#1');
      expect(host.comments()).toEqual(['Closed: the default branch moved and the fix is in another change.']);
      expect(await status()).toMatchObject({ state: 'closed' });
    } else {
      expect(await status()).toEqual({ state: 'missing', baseMoved: false });
    }
    expect(await host.adapter.retire({ ...REF, owner: OWNER, reason: 'again' })).toEqual({ retired: false });
  });

  it('refuses to retire a branch of another owner, and leaves it and its pull request as they were', async () => {
    const opened = await open();
    await expect(host.adapter.retire({ ...REF, owner: OTHER, reason: 'not mine' })).rejects.toThrow(BranchOwnershipError);
    expect(host.head(BRANCH)).toBe(opened.commit);
    expect(host.comments()).toEqual([]);
    expect(await status()).toMatchObject({ state: 'open' });
  });
});

describe('the GitHub adapter', () => {
  it('says closed when the pull request was closed unmerged (a local branch has no such signal)', async () => {
    const host = await githubHost();
    try {
      await host.adapter.open(pullRequestInput({ files: [{ path: 'main.tf', content: FIXED }] }));
      host.closeUnmerged!(BRANCH);
      expect(await host.adapter.status({ ...REF, base: 'main' })).toMatchObject({ state: 'closed', baseMoved: false });
    } finally {
      await host.close();
    }
  });
});
