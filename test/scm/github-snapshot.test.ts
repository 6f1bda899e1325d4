/**
 * Snapshots of a GitHub repository's default branch against the fake REST API: which files are
 * downloaded and which are skipped, truncated listings, caching per commit, cleanup.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/iac/repo-files.js';
import { githubOctokit } from '../../src/scm/github-auth.js';
import { githubRepositories, type GitHubRepositoriesOptions } from '../../src/scm/github.js';
import type { Repositories } from '../../src/scm/port.js';
import { FakeGitHub, REPOSITORIES, TOKEN } from './github-fake.js';
import { undocumented } from './github-openapi.js';

const IAC = {
  'main.tf': 'resource "aws_s3_bucket" "logs" {}\n',
  'envs/prod.tfvars': 'region = "eu-west-1"\n',
  'stacks/app.template': '{"Resources": {}}\n',
  'stacks/app.yaml': 'Resources: {}\n',
  'stacks/db.YML': 'Resources: {}\n',
  'modules/s3/policy.tf.json': '{"resource": {}}\n',
};

let fake: FakeGitHub;
let repositories: Repositories | undefined;

beforeEach(async () => {
  fake = await FakeGitHub.start();
  fake.commit('main', {
    ...IAC,
    'scripts/deploy.sh': { content: '#!/bin/sh\n', mode: '100755' },
    'scripts/render.json': { content: '{"executable": true}\n', mode: '100755' },
    'README.md': '# infra\n',
    'linked.tf': { content: 'main.tf', mode: '120000' },
    vendor: { mode: '160000', sha: 'b'.repeat(40) },
    'huge.json': Buffer.alloc(MAX_FILE_BYTES + 1, 'a'),
  });
});
afterEach(async () => {
  await repositories?.close();
  repositories = undefined;
  await fake.close();
  expect(undocumented(fake.exchanges)).toEqual([]);
});

function open(options: Partial<GitHubRepositoriesOptions> = {}): Repositories {
  repositories = githubRepositories({
    octokit: githubOctokit({ auth: { token: TOKEN }, baseUrl: fake.url }),
    repositories: REPOSITORIES,
    retry: { baseDelayMs: 5 },
    ...options,
  });
  return repositories;
}

/** Regular files under `root` as text, by forward-slash path. */
function filesUnder(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(root, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
  }
  return out;
}

const blobDownloads = (): number => fake.calls('GET', /\/git\/blobs\//).length;

describe('githubRepositories', () => {
  it('writes the IaC files of the default branch head and skips the rest', async () => {
    const snapshot = await open().snapshot('infra', 'main');

    expect(snapshot).toMatchObject({ commit: fake.refs.get('refs/heads/main'), branch: 'main' });
    expect(filesUnder(snapshot.root)).toEqual({ ...IAC, 'scripts/render.json': '{"executable": true}\n' });
    expect(fs.statSync(path.join(snapshot.root, 'scripts/render.json')).mode & 0o111).not.toBe(0);
    expect(fs.statSync(path.join(snapshot.root, 'main.tf')).mode & 0o111).toBe(0);
    // Skipped files are not even downloaded.
    expect(blobDownloads()).toBe(Object.keys(IAC).length + 1);
  });

  it('skips entries a checkout would refuse', async () => {
    // A crafted tree: entries named ".." and ".git" that no git client would create.
    const evil = fake.store.treeWith({ 'escape.tf': 'evil\n' });
    const root = fake.store.get(fake.store.get(fake.refs.get('refs/heads/main') ?? '', 'commit')?.tree ?? '', 'tree')?.entries ?? [];
    const tree = fake.store.tree([
      ...root,
      { name: '..', mode: '040000', type: 'tree', sha: evil },
      { name: '.git', mode: '040000', type: 'tree', sha: evil },
    ]);
    fake.refs.set(
      'refs/heads/main',
      fake.store.put({ type: 'commit', tree, parents: [], message: 'crafted', author: { name: 'x', email: 'x@x' } }),
    );

    const snapshot = await open().snapshot('infra', 'main');

    expect(Object.keys(filesUnder(snapshot.root))).not.toContain('.git/escape.tf');
    expect(fs.existsSync(path.join(snapshot.root, '..', 'escape.tf'))).toBe(false);
    expect(filesUnder(snapshot.root)['main.tf']).toBe(IAC['main.tf']);
  });

  it('walks the subtrees when GitHub truncates the recursive listing', async () => {
    fake.truncateRecursive = true;

    const snapshot = await open().snapshot('infra', 'main');

    expect(filesUnder(snapshot.root)).toEqual({ ...IAC, 'scripts/render.json': '{"executable": true}\n' });
    expect(fake.calls('GET', /\/git\/trees\//).filter((r) => !r.query.has('recursive')).length).toBeGreaterThan(1);
  });

  it('caches per commit, takes a new snapshot when the branch moves, and removes them all on close', async () => {
    const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudmend-gh-snapshots-'));
    try {
      const repos = open({ tempRoot });
      const first = await repos.snapshot('infra', 'main');
      const downloads = blobDownloads();

      expect(await repos.snapshot('infra', 'main')).toBe(first);
      expect(blobDownloads()).toBe(downloads);

      fake.commit('main', { 'main.tf': 'changed\n' });
      const second = await repos.snapshot('infra', 'main');
      expect(second.root).not.toBe(first.root);
      expect(fs.readFileSync(path.join(second.root, 'main.tf'), 'utf8')).toBe('changed\n');
      expect(fs.readFileSync(path.join(first.root, 'main.tf'), 'utf8')).toBe(IAC['main.tf']);
      expect(path.dirname(first.root)).toBe(tempRoot);

      await repos.close();
      expect(fs.readdirSync(tempRoot)).toEqual([]);
    } finally {
      fs.rmSync(tempRoot, { recursive: true, force: true });
    }
  });

  it('cleans up after a failed snapshot and tries again on the next call', async () => {
    const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudmend-gh-snapshots-'));
    try {
      const repos = open({ tempRoot });
      fake.fail('GET', /\/git\/blobs\//, 1, { status: 403, body: { message: 'Resource not accessible by integration' } });

      await expect(repos.snapshot('infra', 'main')).rejects.toThrow(/download .* on acme\/infra failed \(403.*needs Contents: read/);
      expect(fs.readdirSync(tempRoot)).toEqual([]);

      const snapshot = await repos.snapshot('infra', 'main');
      expect(filesUnder(snapshot.root)['main.tf']).toBe(IAC['main.tf']);
    } finally {
      fs.rmSync(tempRoot, { recursive: true, force: true });
    }
  });

  it('says so when the default branch does not exist', async () => {
    const repos = open();

    await expect(repos.snapshot('infra', 'trunk')).rejects.toThrow('repository "infra" (acme/infra on GitHub) has no branch "trunk"');
    await expect(repos.snapshot('other', 'main')).rejects.toThrow(/"other" is not configured/);
  });
});
