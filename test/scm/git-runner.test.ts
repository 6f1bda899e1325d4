/**
 * GitRepository, the one way cloudmend starts git: every command cloudmend runs, in a repository
 * that configures a program everywhere git would start one, starts none and reads content as
 * stored; commands, arguments and variables off its list are refused before git starts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ScmError } from '../../src/scm/errors.js';
import { GitRepository, gitIdentity } from '../../src/scm/git.js';
import { MAX_NEUTRALISED_KEYS } from '../../src/scm/git-hardening.js';
import { appendConfig, hostileRepository, Markers, plainGit, type HostileRepository } from '../support/hostile-repo.js';
import { removeTempDirs, tempDir } from './git-fixture.js';

const MAIN_TF = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n';
const IDENTITY = gitIdentity({ name: 'cloudmend', email: 'cloudmend@localhost' });

let hostileRoot: string;
let hostile: HostileRepository;
beforeAll(() => {
  hostileRoot = mkdtempSync(join(tmpdir(), 'cloudmend-runner-'));
  hostile = hostileRepository(hostileRoot, { 'main.tf': MAIN_TF });
}, 30_000);
afterAll(() => rmSync(hostileRoot, { recursive: true, force: true }));
afterEach(() => expect(hostile.markers.written()).toEqual([]));
afterEach(removeTempDirs);

/** Reads `oids` through one `cat-file --batch`, as the snapshot does. */
async function catBatch(repo: GitRepository, oids: readonly string[]): Promise<string> {
  const child = await repo.spawn(['cat-file', '--batch']);
  child.stdin.end(oids.map((oid) => `${oid}\n`).join(''));
  let out = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) out += chunk.toString('utf8');
  return out;
}

describe('GitRepository in a hostile repository', () => {
  it('runs the commands of a snapshot and a pull request, reading and writing content as stored', async () => {
    const repo = GitRepository.at(hostile.repo, 'infra');
    const base = await repo.requireBranch('main');
    const listing = await repo.run(['ls-tree', '-r', '-z', '-l', base]);
    const blob = /100644 blob ([0-9a-f]+) +\d+\tmain\.tf/.exec(listing)?.[1] ?? '';
    expect(await catBatch(repo, [blob])).toBe(`${blob} blob ${MAIN_TF.length}\n${MAIN_TF}\n`);

    const scratch = tempDir();
    writeFileSync(join(scratch, 'blob'), 'fixed\n');
    const index = { GIT_INDEX_FILE: join(scratch, 'index') };
    await repo.run(['read-tree', base], index);
    const staged = await repo.run(['ls-files', '--stage', '-z', '--', 'main.tf'], index);
    expect(staged).toMatch(/^100644 [0-9a-f]+ 0\tmain\.tf\0$/);
    const fixed = (await repo.run(['hash-object', '-w', '--no-filters', '--', join(scratch, 'blob')])).trim();
    await repo.run(['update-index', '--add', '--cacheinfo', `100644,${fixed},main.tf`], index);
    const tree = (await repo.run(['write-tree'], index)).trim();
    writeFileSync(join(scratch, 'message'), 'fix\n');
    const message = join(scratch, 'message');
    const commit = (await repo.run(['commit-tree', '--no-gpg-sign', tree, '-p', base, '-F', message], IDENTITY)).trim();
    await repo.run(['update-ref', '-m', 'test', 'refs/heads/cloudmend/fix', commit, '0'.repeat(40)]);
    expect(plainGit(hostile.repo, 'cat-file', 'blob', 'cloudmend/fix:main.tf')).toBe('fixed');

    const diff = await repo.run(['diff', 'main', 'cloudmend/fix']);
    expect(diff).toMatch(/^-  bucket = "logs"$/m);
    expect(diff).toMatch(/^\+fixed$/m);
    expect(await repo.run(['worktree', 'list', '--porcelain'])).toContain(`worktree ${hostile.repo}`);
    expect(await repo.branches()).toEqual(['cloudmend/fix', 'main']);
    expect(await repo.run(['symbolic-ref', '--quiet', 'HEAD'])).toBe('refs/heads/main\n');
    expect(await repo.run(['remote', 'get-url', '--push', 'origin'])).toBe(`${hostile.origin}\n`);
  });

  it.each([
    [['status'], /does not run "git status" \(not on its list/],
    [['credential', 'fill'], /does not run "git credential"/],
    [['-c', 'core.hooksPath=x', 'rev-parse'], /does not run "git -c"/],
    [['hash-object', '-w', 'main.tf'], /does not run "git hash-object" with these arguments/],
    [['cat-file', '--batch', '--filters'], /does not run "git cat-file" with these arguments/],
    [['cat-file', '--textconv', 'HEAD:main.tf'], /does not run "git cat-file" with these arguments/],
    [['diff', '--ext-diff', 'HEAD'], /does not run "git diff" with these arguments/],
    [['read-tree', '-mu', 'HEAD'], /does not run "git read-tree" with these arguments/],
    [['update-index', '--add', 'main.tf'], /does not run "git update-index" with these arguments/],
    [['config', 'core.hooksPath', 'x'], /does not run "git config" with these arguments/],
    [['symbolic-ref', 'HEAD', 'refs/heads/x'], /does not run "git symbolic-ref" with these arguments/],
    [['commit-tree', 'HEAD^{tree}'], /does not run "git commit-tree" with these arguments/],
    [['add', 'main.tf'], /runs "git add" only in repositories it created/],
    [['push', 'origin', 'main'], /runs "git push" only in repositories it created/],
  ])('refuses git %j before starting it', async (args, message) => {
    const error = await GitRepository.at(hostile.repo)
      .run(args)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScmError);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses variables other than a temporary index and the identity', async () => {
    const run = GitRepository.at(hostile.repo).run(['rev-parse', 'HEAD'], { GIT_SSH_COMMAND: 'x' });
    await expect(run).rejects.toThrow(/does not give git the variable GIT_SSH_COMMAND/);
  });
});

describe('GitRepository in repositories it creates', () => {
  it('adds and commits with neither hooks, signing nor filters, a driver name holding "=" included', async () => {
    const dir = tempDir();
    const repo = await GitRepository.create(dir, ['--initial-branch=main']);
    const markers = new Markers(join(dir, '..', 'markers'));
    markers.hooks(join(dir, '.git', 'hooks'), 'hook-');
    const filter = `[filter "a=b"]\n\tclean = ${markers.program('clean')}\n\trequired = true`;
    const signing = `[commit]\n\tgpgSign = true\n[gpg]\n\tprogram = ${markers.program('gpg')}`;
    appendConfig(join(dir, '.git', 'config'), `${filter}\n${signing}`);
    writeFileSync(join(dir, '.gitattributes'), '* filter=a=b\n');
    writeFileSync(join(dir, 'main.tf'), MAIN_TF);
    await repo.run(['add', '--all']);
    await repo.run(['commit', '--quiet', '-m', 'initial'], IDENTITY);
    expect(plainGit(dir, 'cat-file', 'blob', 'main:main.tf')).toBe(MAIN_TF.trim());
    expect(markers.written()).toEqual([]);
  });

  it('makes no hooks from a template', async () => {
    const dir = tempDir();
    await GitRepository.create(dir);
    expect(() => readFileSync(join(dir, '.git', 'hooks', 'pre-commit.sample'))).toThrow(/ENOENT/);
  });
});

describe('GitRepository refuses a repository', () => {
  it(`whose config names more than ${MAX_NEUTRALISED_KEYS} program keys to neutralise`, async () => {
    const dir = join(tempDir(), 'repo');
    mkdirSync(dir);
    plainGit(dir, 'init', '--quiet');
    const filters = Array.from({ length: MAX_NEUTRALISED_KEYS + 1 }, (_, i) => `[filter "f${i}"]\n\tclean = x`);
    appendConfig(join(dir, '.git', 'config'), filters.join('\n'));
    await expect(GitRepository.at(dir, 'infra').run(['diff', 'HEAD'])).rejects.toMatchObject({
      userFacing: true,
      message: expect.stringMatching(/"infra": its git config sets 1001 program-running keys .*remove them/) as unknown,
    });
  });
});
