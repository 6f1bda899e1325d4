/**
 * `cloudmend guard` on real git repositories: the verdict, its exit codes and output, how a change
 * is cut into Terraform modules and CloudFormation templates, and every skill's own fixes, which
 * must pass (a replacement only with --allow-replacement).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadSkills } from '../../src/skills/registry.js';
import { caseFiles, outputFor } from '../skills/case-files.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'core.hooksPath=/dev/null', ...args], {
    cwd,
    encoding: 'utf8',
  });

/** A repository with one commit per state: each a map of path → text (null deletes). */
function repository(...states: Readonly<Record<string, string | null>>[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloudmend-guard-'));
  dirs.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  states.forEach((state, i) => {
    for (const [path, text] of Object.entries(state)) {
      if (text === null) rmSync(join(dir, path));
      else {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
    }
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '--allow-empty', '-m', `state ${i}`);
  });
  return dir;
}

async function guard(cwd: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['guard', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {} });
  return { code, stdout, stderr };
}

const GROUP = `resource "aws_security_group" "web" {
  name = "web"

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
`;
const DB =
  'resource "aws_db_instance" "orders" {\n  engine            = "postgres"\n  instance_class    = "db.t3.micro"\n  storage_encrypted = false\n}\n';
const TEMPLATE = 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      SqsManagedSseEnabled: true\n';

describe('cloudmend guard', () => {
  it('passes an ordinary change and exits 0', async () => {
    const repo = repository(
      { 'infra/main.tf': GROUP },
      { 'infra/main.tf': GROUP.replace('name = "web"', 'name = "web"\n  tags = { team = "web" }') },
    );
    const { code, stdout } = await guard(repo);
    expect(code).toBe(0);
    expect(stdout).toMatch(/judged Terraform module infra\npassed\n$/);
  });

  it('refuses a widening with its file, line and rule, exits 1, and prints what the README shows', async () => {
    const repo = repository(
      { 'infra/main.tf': GROUP },
      { 'infra/main.tf': GROUP.replace('10.0.0.0/8', '0.0.0.0/0'), 'README.md': 'docs\n' },
    );
    const { code, stdout } = await guard(repo);
    expect(code).toBe(1);
    expect(stdout).toContain('infra/main.tf:8: aws_security_group.web gains ingress from 0.0.0.0/0 on 443-443/tcp [widened-network]');
    expect(stdout).toMatch(/refused: 1 problem\n$/);
    const shown = /readme-guard-output[^\n]*\n```\n([\s\S]*?)```/.exec(
      readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8'),
    )?.[1];
    const commits = (text: string): string => text.replace(/[0-9a-f]{12}\.\.[0-9a-f]{12}/, '<base>..<head>');
    expect(commits(stdout)).toBe(commits(shown ?? ''));
  });

  it('judges a variable default in one file by what it changes in another file of the module', async () => {
    const module = {
      'main.tf': 'resource "aws_s3_bucket" "logs" {\n  count  = var.keep ? 1 : 0\n  bucket = "acme-logs"\n}\n',
      'variables.tf': 'variable "keep" {\n  default = true\n}\n',
    };
    const repo = repository(module, { 'variables.tf': 'variable "keep" {\n  default = false\n}\n' });
    const { code, stdout } = await guard(repo);
    expect(code).toBe(1);
    expect(stdout).toContain('main.tf:2: aws_s3_bucket.logs drops instance 0');
  });

  it('refuses a replacement unless --allow-replacement, and lists it either way', async () => {
    const repo = repository({ 'db.tf': DB }, { 'db.tf': DB.replace('false', 'true') });
    const refused = await guard(repo);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('replaces the resource: it is destroyed and created again [replacement, needs an approver]');
    const accepted = await guard(repo, '--allow-replacement');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('passed: 1 replacement accepted (--allow-replacement)');
  });

  it('judges templates among other files, leaves the rest out, and refuses a deleted template', async () => {
    const repo = repository(
      { 'stacks/queue.yaml': TEMPLATE, 'app/config.yaml': 'retries: 3\n' },
      { 'stacks/queue.yaml': null, 'app/config.yaml': 'retries: 4\n', 'README.md': 'hi\n' },
    );
    const { code, stdout } = await guard(repo, '--json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      passed: boolean;
      units: unknown[];
      notJudged: string[];
      violations: { rule: string; file: string }[];
    };
    expect(report.units).toEqual([{ kind: 'cloudformation', name: 'stacks/queue.yaml', files: ['stacks/queue.yaml'] }]);
    expect(report.notJudged.sort()).toEqual(['README.md', 'app/config.yaml']);
    expect(report.violations).toMatchObject([{ rule: 'removed-resource', file: 'stacks/queue.yaml', needsApproval: false }]);
  });

  it('compares any two revisions given, in either direction', async () => {
    const repo = repository({ 'main.tf': GROUP.replace('10.0.0.0/8', '0.0.0.0/0') }, { 'main.tf': GROUP }, { 'README.md': 'docs\n' });
    expect((await guard(repo, '--base', 'HEAD~2', '--head', 'HEAD')).code).toBe(0);
    expect((await guard(repo, '--base', 'HEAD', '--head', 'HEAD~2')).code).toBe(1);
  });

  it('exits 2 with a message for a directory that is not a repository and for a revision it cannot find', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'cloudmend-guard-plain-'));
    dirs.push(plain);
    const notRepo = await guard(plain);
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toMatch(/is not a git repository/);
    const repo = repository({ 'main.tf': GROUP });
    const unknown = await guard(repo, '--base', 'no-such-branch');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'cloudmend: no-such-branch names no commit in ' + repo + ': fetch it first (in CI, fetch enough history for both revisions)\n',
    );
    expect((await guard(repo, '--base', '--output=/tmp/x')).code).toBe(2);
  });

  it("passes every skill's own fixes, all in one change, a replacement only where the skill says so", async () => {
    const skills = await loadSkills();
    const base: Record<string, string> = {};
    const head: Record<string, string> = {};
    const replaces = new Set<string>();
    for (const skill of skills) {
      const cases = caseFiles(skill.meta.id);
      for (const input of cases.filter((c) => c.role === 'input')) {
        const output = outputFor(cases, input);
        if (!output) continue;
        // Each Terraform case is a module of its own; each template a file.
        const path = input.kind === 'terraform' ? `${skill.meta.id}/${input.name}/main.tf` : `${skill.meta.id}/${input.file}`;
        base[path] = input.text;
        head[path] = output.text;
        if (skill.meta.risk === 'replacement') replaces.add(path);
      }
    }
    const repo = repository(base, head);
    // One run over every case (about 200 modules and templates): the replacements it lists are allowed, nothing else is found.
    const { stdout, code } = await guard(repo, '--json', '--allow-replacement');
    const report = JSON.parse(stdout) as {
      units: { name: string }[];
      violations: { rule: string; file: string; needsApproval: boolean }[];
    };
    expect(report.units.length).toBe(Object.keys(base).length);
    expect(report.violations.filter((v) => !(v.needsApproval && replaces.has(v.file)))).toEqual([]);
    expect(code).toBe(0);
  });
});
