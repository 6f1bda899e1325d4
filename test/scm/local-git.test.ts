/**
 * The local git pull-request adapter against real repositories: the branch it writes, idempotency,
 * the user's checkout left alone byte for byte, bare repositories, pushing, refusals.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BranchOwnershipError, TransientScmError } from '../../src/scm/errors.js';
import { GitRepository } from '../../src/scm/git.js';
import { withOrigin } from '../../src/scm/git-push.js';
import { localGitPullRequests, type LocalGitOptions } from '../../src/scm/local-git.js';
import type { PullRequestInput } from '../../src/scm/port.js';
import { INITIAL_FILES, bareClone, commitFiles, filesAt, git, readTreeBytes, removeTempDirs, tempDir, workingRepo } from './git-fixture.js';
import { BRANCH, committedMessage, OWNER, pullRequestInput } from './pull-request-input.js';

function request(overrides: Partial<PullRequestInput> = {}): PullRequestInput {
  return pullRequestInput({
    files: [{ path: 'main.tf', content: 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n# fixed\n' }],
    ...overrides,
  });
}

function adapter(repo: string, options: Partial<LocalGitOptions> = {}) {
  return localGitPullRequests({ repositories: { infra: { path: repo, defaultBranch: 'main' } }, ...options });
}

afterEach(removeTempDirs);

describe('localGitPullRequests', () => {
  it('creates the branch with the base tree plus the files, parented on the base, by cloudmend', async () => {
    const repo = workingRepo();
    const base = git(repo, 'rev-parse', 'main');
    const input = request({
      files: [
        { path: 'main.tf', content: 'changed\n' },
        { path: 'modules/s3/policy.tf', content: 'new file in a new directory\n' },
      ],
    });

    const result = await adapter(repo).open(input);

    expect(result).toEqual({
      id: `local:infra:${BRANCH}`,
      branch: BRANCH,
      commit: git(repo, 'rev-parse', BRANCH),
      url: undefined,
      created: true,
      updated: false,
    });
    expect(git(repo, 'rev-parse', `${result.commit}^`)).toBe(base);
    expect(git(repo, 'log', '-1', '--format=%B', result.commit)).toBe(committedMessage(input).trimEnd());
    expect(git(repo, 'log', '-1', '--format=%an <%ae>|%cn <%ce>', result.commit)).toBe(
      'cloudmend <cloudmend@localhost>|cloudmend <cloudmend@localhost>',
    );
    expect(filesAt(repo, result.commit)).toEqual({
      'main.tf': 'changed\n',
      'modules/kms/key.tf': INITIAL_FILES['modules/kms/key.tf'],
      'modules/s3/policy.tf': 'new file in a new directory\n',
    });
  });

  it('uses the configured author and keeps an executable file executable', async () => {
    const repo = workingRepo();
    fs.writeFileSync(path.join(repo, 'fix.sh'), '#!/bin/sh\n');
    fs.chmodSync(path.join(repo, 'fix.sh'), 0o755);
    commitFiles(repo, {}, 'script');

    const result = await adapter(repo, { author: { name: 'Sec Bot', email: 'bot@example.com' } }).open(
      request({ files: [{ path: 'fix.sh', content: '#!/bin/sh\necho fixed\n' }] }),
    );

    expect(git(repo, 'log', '-1', '--format=%an <%ae>|%cn <%ce>', result.commit)).toBe(
      'Sec Bot <bot@example.com>|Sec Bot <bot@example.com>',
    );
    expect(git(repo, 'ls-tree', result.commit, 'fix.sh')).toMatch(/^100755 blob /);
  });

  it('takes messages and paths that look like git options as plain text', async () => {
    const repo = workingRepo();
    const message = '--upload-pack=touch /tmp/pwned\n\n-c core.pager=evil';

    const input = request({ title: '--exec=evil', commitMessage: message, files: [{ path: '--config=core.pager=x.tf', content: 'x\n' }] });
    const result = await adapter(repo).open(input);

    expect(git(repo, 'log', '-1', '--format=%B', result.commit)).toBe(committedMessage(input).trimEnd());
    expect(filesAt(repo, result.commit)['--config=core.pager=x.tf']).toBe('x\n');
  });

  it('is idempotent: the same change again leaves the branch where it is', async () => {
    const repo = workingRepo();
    const prs = adapter(repo);
    const first = await prs.open(request());

    const second = await prs.open(request());

    expect(second).toEqual({ ...first, created: false, updated: false });
    expect(git(repo, 'rev-parse', BRANCH)).toBe(first.commit);
  });

  it('moves the branch to a new commit on top of its head when the change differs', async () => {
    const repo = workingRepo();
    const prs = adapter(repo);
    const first = await prs.open(request());

    const second = await prs.open(request({ files: [{ path: 'main.tf', content: 'second version\n' }] }));

    expect(second).toMatchObject({ created: false, updated: true });
    expect(second.commit).not.toBe(first.commit);
    expect(git(repo, 'rev-parse', `${second.commit}^`)).toBe(first.commit);
    expect(git(repo, 'rev-parse', BRANCH)).toBe(second.commit);
    expect(filesAt(repo, second.commit)['main.tf']).toBe('second version\n');
  });

  it('never touches the working tree, index or checked-out branch', async () => {
    const repo = workingRepo();
    git(repo, 'switch', '--quiet', '--create', 'feature');
    commitFiles(repo, { 'feature.tf': 'feature work\n' }, 'feature');
    fs.writeFileSync(path.join(repo, 'main.tf'), 'uncommitted edit\n');
    fs.writeFileSync(path.join(repo, 'staged.tf'), 'staged\n');
    git(repo, 'add', 'staged.tf');
    fs.writeFileSync(path.join(repo, 'modules/kms/key.tf'), 'staged then edited again\n');
    fs.writeFileSync(path.join(repo, 'untracked.txt'), 'not tracked\n');
    // --no-optional-locks: status must not refresh (rewrite) the index between the two readings.
    const status = (): string => git(repo, '--no-optional-locks', 'status', '--porcelain=v1', '--untracked-files=all');
    const head = git(repo, 'symbolic-ref', 'HEAD');
    const beforeStatus = status();
    const before = readTreeBytes(repo);

    const prs = adapter(repo);
    await prs.open(
      request({
        files: [
          { path: 'main.tf', content: 'fixed\n' },
          { path: 'feature.tf', content: 'not on main\n' },
        ],
      }),
    );
    await prs.open(request({ files: [{ path: 'main.tf', content: 'fixed again\n' }] }));

    const after = readTreeBytes(repo);
    // Only new objects, the new branch and its reflog may appear; everything else is byte-identical.
    const added = /^\.git\/(objects\/|refs\/heads\/cloudmend\/|logs\/refs\/heads\/cloudmend\/)/;
    for (const name of after.keys()) if (!before.has(name)) expect(name).toMatch(added);
    for (const [name, bytes] of before) expect(after.get(name), name).toBe(bytes);
    expect(git(repo, 'symbolic-ref', 'HEAD')).toBe(head);
    expect(status()).toBe(beforeStatus);
    expect(git(repo, 'stash', 'list')).toBe('');
  });

  it('works while another git process holds the index lock, since it never uses the index', async () => {
    const repo = workingRepo();
    fs.writeFileSync(path.join(repo, '.git/index.lock'), '');

    await expect(adapter(repo).open(request())).resolves.toMatchObject({ created: true });
    expect(fs.existsSync(path.join(repo, '.git/index.lock'))).toBe(true);
  });

  it('opens pull requests in a bare repository', async () => {
    const bare = bareClone(workingRepo());

    const result = await adapter(bare).open(request());
    const again = await adapter(bare).open(request());

    expect(result.created).toBe(true);
    expect(again).toMatchObject({ commit: result.commit, created: false, updated: false });
    expect(filesAt(bare, BRANCH)['main.tf']).toBe(request().files[0]?.content);
  });

  describe('push', () => {
    it('pushes the branch to origin, and without push nothing reaches origin', async () => {
      const repo = workingRepo();
      const origin = bareClone(repo, { asOrigin: true });

      await adapter(repo).open(request({ branch: 'cloudmend/local-only' }));
      expect(git(origin, 'branch', '--list', 'cloudmend/*')).toBe('');

      const pushed = await adapter(repo, { push: true }).open(request());
      expect(git(origin, 'rev-parse', BRANCH)).toBe(pushed.commit);
      expect(git(origin, 'branch', '--list', 'cloudmend/*')).toBe(BRANCH);

      const updated = await adapter(repo, { push: true }).open(request({ files: [{ path: 'main.tf', content: 'v2\n' }] }));
      expect(git(origin, 'rev-parse', BRANCH)).toBe(updated.commit);
    });

    /** `repo` with origin, and another clone of that origin where another ledger (another author) opens pull requests. */
    function twoClones(): { repo: string; origin: string; elsewhere: string; other: ReturnType<typeof adapter> } {
      const repo = workingRepo();
      const origin = bareClone(repo, { asOrigin: true });
      const elsewhere = path.join(tempDir(), 'elsewhere');
      git(path.dirname(elsewhere), 'clone', '--quiet', origin, elsewhere);
      return { repo, origin, elsewhere, other: adapter(elsewhere, { push: true, author: { name: 'cloudmend', email: 'ci@elsewhere' } }) };
    }

    it('leaves a branch on origin holding the same change (another ledger wrote it) as it is, and says so', async () => {
      const { repo, origin, other } = twoClones();
      const theirs = await other.open(request());

      const ours = await adapter(repo, { push: true }).open(request());

      expect(ours).toMatchObject({ created: true, origin: 'identical' });
      expect(ours.commit).not.toBe(theirs.commit);
      expect(git(origin, 'rev-parse', BRANCH)).toBe(theirs.commit);
    });

    it('replaces a branch on origin holding another change when cloudmend wrote every commit of it', async () => {
      const { repo, origin, other } = twoClones();
      await other.open(request({ files: [{ path: 'main.tf', content: 'v1\n' }] }));
      await other.open(request({ files: [{ path: 'main.tf', content: 'v2\n' }] }));
      expect(git(origin, 'rev-list', '--count', `main..${BRANCH}`)).toBe('2');

      const ours = await adapter(repo, { push: true }).open(request());

      expect(ours.origin).toBe('updated');
      expect(git(origin, 'rev-parse', BRANCH)).toBe(ours.commit);
    });

    it.each([
      ['on top', (clone: string) => commitFiles(clone, { 'other.tf': 'someone else\n' }, 'other'), /its last commit [0-9a-f]{12} has no/],
      [
        'under a commit that carries the trailer',
        (clone: string) => {
          commitFiles(clone, { 'other.tf': 'someone else\n' }, 'other');
          commitFiles(clone, { 'main.tf': 'forged\n' }, committedMessage(request()));
        },
        /its commit [0-9a-f]{12} has no Cloudmend-Fingerprint or Cloudmend-Batch trailer: cloudmend did not write it/,
      ],
    ])('refuses a branch on origin a person pushed to (%s), naming the branch and what to do', async (_name, person, detail) => {
      const { repo, origin, elsewhere, other } = twoClones();
      await other.open(request({ files: [{ path: 'main.tf', content: 'v1\n' }] }));
      git(elsewhere, 'switch', '--quiet', BRANCH);
      person(elsewhere);
      git(elsewhere, 'push', '--quiet', 'origin', BRANCH);
      const theirs = git(origin, 'rev-parse', BRANCH);

      const error = await adapter(repo, { push: true })
        .open(request())
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(BranchOwnershipError);
      expect(error).toMatchObject({ userFacing: true, message: expect.stringMatching(detail) as string });
      expect((error as Error).message).toMatch(
        new RegExp(
          `^refusing to move branch "${BRANCH}" on origin of repository "infra" for finding ${OWNER.id}: .*git push origin --delete ${BRANCH}\\), then run again$`,
        ),
      );
      expect(git(origin, 'rev-parse', BRANCH)).toBe(theirs);
    });

    it('never overwrites a branch that moved on origin after cloudmend read it (the lease fails), and says to run again', async () => {
      const { repo, origin, elsewhere, other } = twoClones();
      await other.open(request({ files: [{ path: 'main.tf', content: 'v1\n' }] }));
      const ours = await adapter(repo).open(request());

      const error = await withOrigin(GitRepository.at(repo), async (remote) => {
        const seen = await remote.read([BRANCH], ours.commit);
        // Someone pushes between cloudmend's read and its push.
        await other.open(request({ files: [{ path: 'main.tf', content: 'v2\n' }] }));
        return remote.push(ours.commit, BRANCH, seen.get(BRANCH)).catch((e: unknown) => e);
      });

      expect(error).toBeInstanceOf(TransientScmError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^branch "${BRANCH}" on origin of repository ".*" moved while cloudmend pushed to it \\(it was at [0-9a-f]{12} when read\\); nothing was overwritten: run again`,
        ),
      );
      expect(git(origin, 'rev-parse', BRANCH)).toBe(git(elsewhere, 'rev-parse', BRANCH));
    });

    it('fails clearly when the repository has no origin', async () => {
      const repo = workingRepo();
      await expect(adapter(repo, { push: true }).open(request())).rejects.toThrow(
        /repository "infra" has no remote "origin" to push to: add one \(git remote add origin <url>\), or run without --push/,
      );
    });
  });
});
