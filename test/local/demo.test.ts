import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { toolJail } from '../../src/iac/validators/jail.js';

// The demo's CDK app is synthesized only in the tool jail; without one its three findings end recommended.
const { reason: noJail } = await toolJail({});
const ROOT = join(import.meta.dirname, '../..');
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Reviewer',
  GIT_AUTHOR_EMAIL: 'r@example.com',
  GIT_COMMITTER_NAME: 'Reviewer',
  GIT_COMMITTER_EMAIL: 'r@example.com',
};
const git = (repo: string, ...args: string[]): string => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', env: GIT_ENV });

/** Merges every branch into `main` in turn, as a reviewer merging each pull request would; the branches that conflicted. */
function mergeInTurn(repo: string, branches: readonly string[]): string[] {
  git(repo, 'checkout', '--quiet', '-b', 'merged-in-turn', 'main');
  const conflicts: string[] = [];
  for (const branch of branches) {
    try {
      git(repo, 'merge', '--quiet', '--no-edit', branch);
    } catch {
      conflicts.push(branch);
      git(repo, 'merge', '--abort');
    }
  }
  return conflicts;
}

describe('cloudmend demo (npm start)', () => {
  let root: string | undefined;
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('opens pull-request branches in the Terraform, the CloudFormation and the CDK repository, exits 0, and matches the README', async () => {
    let stdout = '';
    const code = await main(['demo'], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: ROOT, env: {} });
    root = /example repositories in (\S+)\/repos/.exec(stdout)?.[1];
    expect(code).toBe(0);
    const branches = [...stdout.matchAll(/^ {2}(infra-live|platform-stacks|storefront-cdk) +(cloudmend\/\S+)/gm)].map(
      (m) => [m[1]!, m[2]!] as const,
    );
    expect(branches.filter(([repo]) => repo === 'infra-live').length).toBeGreaterThanOrEqual(3);
    expect(branches.filter(([repo]) => repo === 'platform-stacks').length).toBeGreaterThanOrEqual(2);
    // The CDK app: S3.8 on a bucket (by its name), KMS.4 on a key (by its stack tags), DynamoDB.2 on a table made in another file.
    const cdk = branches.filter(([repo]) => repo === 'storefront-cdk').map(([, branch]) => branch);
    if (noJail) {
      expect(cdk).toEqual([]);
      expect(stdout).toContain("WARNING: storefront-cdk's findings end recommended");
      expect(stdout.match(/^ {2}[0-9a-f]{8} {2}\S+ +recommended +the CDK app cannot be synthesized here/gm)).toHaveLength(3);
    } else {
      expect(cdk.map((branch) => branch.replace(/-[0-9a-f]+$/, ''))).toEqual(['cloudmend/dynamodb.2', 'cloudmend/kms.4', 'cloudmend/s3.8']);
      const app = join(root!, 'repos', 'storefront-cdk');
      for (const branch of cdk) {
        expect(git(app, 'diff', '--name-only', `main...${branch}`).trim().split('\n'), branch).toEqual([
          branch.includes('dynamodb') ? 'lib/orders-table.ts' : 'lib/storefront-stack.ts',
        ]);
        expect(stdout, 'the demo prints each CDK diff').toContain(`the diff of ${branch} in storefront-cdk:`);
      }
    }
    // The README quotes a run with a jail: three more branches than one without.
    const summary = /^3\. Summary: (.*), in [\d.]+ s$/m
      .exec(stdout)?.[1]
      ?.replace(/(\d+) pull-request branches/, (_, n: string) => `${Number(n) + (noJail ? 3 : 0)} pull-request branches`);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`3. Summary: ${summary ?? '(no summary)'}`);

    // One change per resource: merging every pull request of the run, one after another, never conflicts.
    for (const repo of ['infra-live', 'platform-stacks', 'storefront-cdk']) {
      const own = branches.filter(([r]) => r === repo).map(([, branch]) => branch);
      expect(mergeInTurn(join(root!, 'repos', repo), own), repo).toEqual([]);
    }
  }, 180_000);
});
