/** A throwaway world for workflow tests: a real git repository, a config, a state directory. */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { ApprovalRequest } from '../../src/approvals/port.js';
import { openLocal, type LocalContext, type LocalSetup } from '../../src/local/setup.js';

export const STORAGE_TF = `resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"

  tags = {
    Name = "main"
  }
}
`;

/** Bucket acme-logs with versioning on, in Terraform. */
export const VERSIONED_TF = `resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id

  versioning_configuration {
    status = "Enabled"
  }
}
`;

/** Validators off unless a test's config says otherwise: terraform validate adds seconds per finding. */
const VALIDATORS_OFF = 'validators:\n  terraform: { mode: off }\n  cfnLint: { mode: off }\n';
/** The git CLI as a person runs it, without the user's config (the code under test is not used to build fixtures). */
const GIT_ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GIT_'))),
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export interface World {
  readonly root: string;
  readonly repo: string;
  readonly state: string;
  readonly configFile: string;
  readonly config: Config;
  readonly approvals: ApprovalRequest[];
  open(extra?: Partial<LocalSetup>): Promise<LocalContext>;
  git(...args: string[]): Promise<string>;
  cleanup(): void;
}

export async function makeWorld(
  configExtra = '',
  files: Record<string, string> = { 'storage.tf': STORAGE_TF },
  iac: 'terraform' | 'cloudformation' | 'cdk' = 'terraform',
): Promise<World> {
  const root = mkdtempSync(join(tmpdir(), 'cloudmend-world-'));
  const repo = join(root, 'infra');
  mkdirSync(repo);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  const git = async (...args: string[]): Promise<string> =>
    (await promisify(execFile)('git', args, { cwd: repo, env: GIT_ENV, encoding: 'utf8' })).stdout;
  await git('init', '--quiet', '--initial-branch=main');
  await git('add', '.');
  await git('commit', '--quiet', '-m', 'initial');
  const yaml = `version: 1
repositories:
  - name: infra
    location: infra
    iac: ${iac}
    owns: { accounts: ["111122223333"] }
${/^validators:/m.test(configExtra) ? '' : VALIDATORS_OFF}${configExtra}`;
  const configFile = join(root, 'cloudmend.config.yaml');
  writeFileSync(configFile, yaml);
  const config = parseConfig(yaml, configFile);
  const approvals: ApprovalRequest[] = [];
  const state = join(root, 'state');
  return {
    root,
    repo,
    state,
    configFile,
    config,
    approvals,
    open: (extra = {}) =>
      openLocal({
        config,
        configDir: root,
        cwd: root,
        stateDir: state,
        env: {},
        runId: Math.random().toString(16).slice(2, 10),
        approvals: { requestApproval: (r) => (approvals.push(r), Promise.resolve({})) },
        ...extra,
      }),
    git,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
