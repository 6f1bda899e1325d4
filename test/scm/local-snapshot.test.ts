/**
 * Snapshots of a local repository's branch: the committed files only, what is skipped,
 * caching per commit, cleanup, bare repositories and crafted trees.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/iac/repo-files.js';
import { ScmError } from '../../src/scm/errors.js';
import { localRepositories } from '../../src/scm/local-snapshot.js';
import type { Repositories } from '../../src/scm/port.js';
import {
  INITIAL_FILES,
  bareClone,
  commitFiles,
  git,
  gitInput,
  readTreeBytes,
  removeTempDirs,
  tempDir,
  workingRepo,
} from './git-fixture.js';

const opened: Repositories[] = [];

function repositories(repoPath: string, options: { tempRoot?: string } = {}): Repositories {
  const repos = localRepositories({
    repositories: { infra: { path: repoPath, defaultBranch: 'main' } },
    ...(options.tempRoot === undefined ? {} : { tempRoot: options.tempRoot }),
  });
  opened.push(repos);
  return repos;
}

/** Files under `root` as `path -> content`; symlinks would show up as `-> target`. */
function contents(root: string): Record<string, string> {
  return Object.fromEntries(
    [...readTreeBytes(root)].map(([name, bytes]) => [
      name.split(path.sep).join('/'),
      bytes.startsWith('-> ') ? bytes : Buffer.from(bytes, 'base64').toString('utf8'),
    ]),
  );
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((repos) => repos.close()));
  removeTempDirs();
});

describe('localRepositories', () => {
  it('writes the committed files of the default branch, not the working tree or other branches', async () => {
    const repo = workingRepo();
    const head = commitFiles(repo, { 'dir with space/ünïcode.tf': 'unicode\n', 'deep/a/b/c.yaml': 'c: 1\n' });
    fs.writeFileSync(path.join(repo, 'run.sh'), '#!/bin/sh\n');
    fs.chmodSync(path.join(repo, 'run.sh'), 0o755);
    const withScript = commitFiles(repo, {}, 'script');
    git(repo, 'switch', '--quiet', '--create', 'feature');
    commitFiles(repo, { 'feature.tf': 'feature only\n' });
    fs.writeFileSync(path.join(repo, 'main.tf'), 'uncommitted\n');
    fs.writeFileSync(path.join(repo, 'untracked.tf'), 'untracked\n');
    const status = git(repo, '--no-optional-locks', 'status', '--porcelain');
    const before = readTreeBytes(repo);

    const snapshot = await repositories(repo).snapshot('infra', 'main');

    expect(snapshot).toEqual({ root: expect.any(String) as string, commit: withScript, branch: 'main' });
    expect(head).not.toBe(withScript);
    expect(contents(snapshot.root)).toEqual({
      ...INITIAL_FILES,
      'dir with space/ünïcode.tf': 'unicode\n',
      'deep/a/b/c.yaml': 'c: 1\n',
      'run.sh': '#!/bin/sh\n',
    });
    expect(fs.statSync(path.join(snapshot.root, 'run.sh')).mode & 0o111).not.toBe(0);
    expect(path.relative(repo, snapshot.root).startsWith('..')).toBe(true);
    expect(readTreeBytes(repo)).toEqual(before);
    expect(git(repo, '--no-optional-locks', 'status', '--porcelain')).toBe(status);
  });

  it('skips symlinks, submodules and blobs larger than MAX_FILE_BYTES', async () => {
    const repo = workingRepo();
    fs.symlinkSync('/etc/passwd', path.join(repo, 'passwd'));
    fs.writeFileSync(path.join(repo, 'huge.json'), 'x'.repeat(MAX_FILE_BYTES + 1));
    fs.writeFileSync(path.join(repo, 'limit.json'), 'y'.repeat(MAX_FILE_BYTES));
    git(repo, 'add', '--all');
    git(repo, 'update-index', '--add', '--cacheinfo', `160000,${git(repo, 'rev-parse', 'HEAD')},vendor/module`);
    commitFiles(repo, {}, 'odd entries');

    const snapshot = await repositories(repo).snapshot('infra', 'main');

    const files = readTreeBytes(snapshot.root);
    expect([...files.keys()].sort()).toEqual(['limit.json', 'main.tf', path.join('modules', 'kms', 'key.tf')]);
    expect(fs.statSync(path.join(snapshot.root, 'limit.json')).size).toBe(MAX_FILE_BYTES);
  });

  it('never writes a crafted tree entry outside its directory or into .git', async () => {
    const repo = workingRepo();
    const blob = gitInput(repo, 'escaped\n', 'hash-object', '-w', '--stdin');
    const evil = gitInput(repo, `100644 blob ${blob}\tevil.tf\n`, 'mktree');
    const tree = gitInput(repo, `040000 tree ${evil}\t..\n040000 tree ${evil}\t.git\n100644 blob ${blob}\tkept.tf\n`, 'mktree');
    git(repo, 'update-ref', 'refs/heads/crafted', git(repo, 'commit-tree', tree, '-m', 'crafted'));
    const tempRoot = path.join(tempDir(), 'nested');
    fs.mkdirSync(tempRoot);

    const snapshot = await repositories(repo, { tempRoot }).snapshot('infra', 'crafted');

    expect(contents(snapshot.root)).toEqual({ 'kept.tf': 'escaped\n' });
    expect(fs.readdirSync(tempRoot)).toEqual([path.basename(snapshot.root)]);
  });

  it('snapshots the branch asked for, cached apart from another branch at the same commit', async () => {
    const repo = workingRepo();
    git(repo, 'branch', 'scratch');
    const repos = repositories(repo);

    const main = await repos.snapshot('infra', 'main');
    const scratch = await repos.snapshot('infra', 'scratch');
    expect(scratch).toMatchObject({ commit: main.commit, branch: 'scratch' });
    expect(scratch.root).not.toBe(main.root);
    git(repo, 'switch', '--quiet', 'scratch');
    commitFiles(repo, { 'scratch.tf': 'scratch only\n' });
    expect(contents((await repos.snapshot('infra', 'scratch')).root)).toMatchObject({ 'scratch.tf': 'scratch only\n' });
    expect(contents((await repos.snapshot('infra', 'main')).root)).not.toHaveProperty(['scratch.tf']);
  });

  it('caches per commit: the same directory until the default branch moves', async () => {
    const repo = workingRepo();
    const repos = repositories(repo);

    const [first, concurrent] = await Promise.all([repos.snapshot('infra', 'main'), repos.snapshot('infra', 'main')]);
    const again = await repos.snapshot('infra', 'main');
    commitFiles(repo, { 'main.tf': 'moved on\n' });
    const moved = await repos.snapshot('infra', 'main');

    expect(concurrent).toBe(first);
    expect(again).toBe(first);
    expect(moved.root).not.toBe(first.root);
    expect(moved.commit).toBe(git(repo, 'rev-parse', 'main'));
    expect(fs.readFileSync(path.join(moved.root, 'main.tf'), 'utf8')).toBe('moved on\n');
    expect(fs.readFileSync(path.join(first.root, 'main.tf'), 'utf8')).toBe(INITIAL_FILES['main.tf']);
  });

  it('close removes every snapshot directory', async () => {
    const repo = workingRepo();
    const tempRoot = tempDir();
    const repos = repositories(repo, { tempRoot });
    const first = await repos.snapshot('infra', 'main');
    commitFiles(repo, { 'main.tf': 'second\n' });
    const second = await repos.snapshot('infra', 'main');
    expect(fs.readdirSync(tempRoot).sort()).toEqual([path.basename(first.root), path.basename(second.root)].sort());

    await repos.close();

    expect(fs.readdirSync(tempRoot)).toEqual([]);
    const afterClose = await repos.snapshot('infra', 'main');
    expect(fs.existsSync(afterClose.root)).toBe(true);
  });

  it('works with a bare repository and an empty tree', async () => {
    const source = workingRepo();
    const bare = bareClone(source);
    const snapshot = await repositories(bare).snapshot('infra', 'main');
    expect(contents(snapshot.root)).toEqual(INITIAL_FILES);

    git(
      bare,
      'update-ref',
      'refs/heads/empty',
      git(bare, 'commit-tree', git(bare, 'hash-object', '-t', 'tree', '-w', '/dev/null'), '-m', 'empty'),
    );
    const empty = await repositories(bare).snapshot('infra', 'empty');
    expect(fs.readdirSync(empty.root)).toEqual([]);
  });

  it('fails clearly for an unknown repository, a missing branch or a non-repository', async () => {
    const repo = workingRepo();
    await expect(repositories(repo).snapshot('other', 'main')).rejects.toThrow('repository "other" is not configured (configured: infra)');
    await expect(repositories(repo).snapshot('infra', 'trunk')).rejects.toThrow(/has no branch "trunk"/);
    const error = await repositories(tempDir())
      .snapshot('infra', 'main')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScmError);
    expect(error).toMatchObject({ userFacing: true, message: expect.stringMatching(/is not a git repository/) as string });
  });
});
