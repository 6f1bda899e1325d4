/**
 * Two writers opening the same branch at once end with one branch and no lost update, in working
 * trees and bare repositories; a held ref lock is a transient error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TransientScmError } from '../../src/scm/errors.js';
import { localGitPullRequests } from '../../src/scm/local-git.js';
import type { PullRequestInput } from '../../src/scm/port.js';
import { bareClone, git, removeTempDirs, workingRepo } from './git-fixture.js';

const BRANCH = 'cloudmend/race';

function request(content: string): PullRequestInput {
  return {
    repository: 'infra',
    branch: BRANCH,
    owner: { kind: 'finding', id: 'f1' },
    base: 'main',
    title: 'Race',
    body: '',
    commitMessage: `set ${content}`,
    files: [{ path: 'main.tf', content }],
  };
}

/** A fresh adapter per writer, as two processes would have. */
function open(repo: string, content: string) {
  return localGitPullRequests({ repositories: { infra: { path: repo, defaultBranch: 'main' } } }).open(request(content));
}

afterEach(removeTempDirs);

describe.each([
  ['a working tree', () => workingRepo()],
  ['a bare repository', () => bareClone(workingRepo())],
])('concurrent opens of one branch in %s', (_kind, makeRepo) => {
  it('with the same change: one creates, the other finds it done', async () => {
    for (let round = 0; round < 2; round += 1) {
      const repo = makeRepo();
      const results = await Promise.all([open(repo, 'same\n'), open(repo, 'same\n')]);

      const head = git(repo, 'rev-parse', BRANCH);
      expect(results.map((r) => r.commit)).toEqual([head, head]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results.some((r) => r.updated)).toBe(false);
      expect(git(repo, 'rev-list', '--count', `main..${BRANCH}`)).toBe('1');
    }
  });

  it('with different changes: both commits survive, one on top of the other', async () => {
    for (let round = 0; round < 2; round += 1) {
      const repo = makeRepo();
      const results = await Promise.all([open(repo, 'first\n'), open(repo, 'second\n')]);

      const history = git(repo, 'rev-list', `main..${BRANCH}`).split('\n');
      expect(history).toHaveLength(2);
      expect(new Set(history)).toEqual(new Set(results.map((r) => r.commit)));
      expect(results.map((r) => [r.created, r.updated]).sort()).toEqual([
        [false, true],
        [true, false],
      ]);
      const last = results.find((r) => r.updated);
      expect(git(repo, 'rev-parse', BRANCH)).toBe(last?.commit);
    }
  });
});

describe('a held ref lock', () => {
  it('is a transient error that names the lock, and the branch is not written', async () => {
    const repo = workingRepo();
    const lock = path.join(repo, '.git/refs/heads/cloudmend/race.lock');
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    fs.writeFileSync(lock, '');

    const error = await open(repo, 'blocked\n').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientScmError);
    expect(error).toMatchObject({ name: 'cloudmend.Transient', userFacing: false });
    expect((error as Error).message).toMatch(
      /git update-ref in repository "infra": another git process holds a lock.*race\.lock': File exists/s,
    );
    expect(git(repo, 'branch', '--list', BRANCH)).toBe('');
  });
});
