/**
 * Real git repositories in temporary directories for the SCM tests, set up with the git CLI (the
 * code under test is not used to build its own fixtures).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GIT_'))),
  GIT_AUTHOR_NAME: 'Test User',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test User',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  LC_ALL: 'C',
};

/** Runs git in `cwd` and returns its trimmed standard output. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Runs git with `input` on standard input. */
export function gitInput(cwd: string, input: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env, input, encoding: 'utf8' }).trim();
}

/** Temporary directories created by a test file, removed by `removeTempDirs` in `afterEach`. */
const created: string[] = [];

export function tempDir(prefix = 'cloudmend-scm-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` into the working tree at `repo` and commits them all. */
export function commitFiles(repo: string, files: Record<string, string>, message = 'change'): string {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    fs.writeFileSync(path.join(repo, name), content);
  }
  git(repo, 'add', '--all');
  git(repo, 'commit', '--quiet', '--no-verify', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

export const INITIAL_FILES = {
  'main.tf': 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n',
  'modules/kms/key.tf': 'resource "aws_kms_key" "k" {}\n',
};

/** A working-tree repository on `main` with one commit of `INITIAL_FILES`. */
export function workingRepo(files: Record<string, string> = INITIAL_FILES): string {
  const repo = path.join(tempDir(), 'repo');
  fs.mkdirSync(repo);
  git(repo, 'init', '--quiet', '--initial-branch=main');
  commitFiles(repo, files, 'initial');
  return repo;
}

/** A bare clone of `source` (all branches), optionally set as `source`'s `origin`. */
export function bareClone(source: string, options: { asOrigin?: boolean } = {}): string {
  const bare = path.join(tempDir(), 'origin.git');
  git(path.dirname(bare), 'clone', '--quiet', '--bare', source, bare);
  if (options.asOrigin === true) git(source, 'remote', 'add', 'origin', bare);
  return bare;
}

/** Every file under `dir` (`.git` included) with its bytes, for byte-identical comparisons. */
export function readTreeBytes(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      const rel = path.relative(dir, full);
      if (entry.isSymbolicLink()) files.set(rel, `-> ${fs.readlinkSync(full)}`);
      else if (entry.isDirectory()) walk(full);
      else files.set(rel, fs.readFileSync(full).toString('base64'));
    }
  };
  walk(dir);
  return files;
}

/** Files of `commit` as `path -> content`, read with the git CLI. */
export function filesAt(repo: string, commit: string): Record<string, string> {
  const paths = git(repo, 'ls-tree', '-r', '--name-only', commit).split('\n').filter(Boolean);
  return Object.fromEntries(
    paths.map((p) => [p, execFileSync('git', ['cat-file', 'blob', `${commit}:${p}`], { cwd: repo, env, encoding: 'utf8' })]),
  );
}
