import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const ROOT = join(import.meta.dirname, '../..');

describe('cloudmend demo (npm start)', () => {
  it('opens pull-request branches in the Terraform and the CloudFormation repository, exits 0, and matches the README', async () => {
    let stdout = '';
    const code = await main(['demo'], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: ROOT, env: {} });
    const root = /example repositories in (\S+)\/repos/.exec(stdout)?.[1];
    if (root) rmSync(root, { recursive: true, force: true });
    expect(code).toBe(0);
    const branches = [...stdout.matchAll(/^ {2}(infra-live|platform-stacks) +(cloudmend\/\S+)/gm)].map((m) => m[1]);
    expect(branches.filter((b) => b === 'infra-live').length).toBeGreaterThanOrEqual(3);
    expect(branches.filter((b) => b === 'platform-stacks').length).toBeGreaterThanOrEqual(2);
    const summary = /^3\. Summary: (.*), in [\d.]+ s$/m.exec(stdout)?.[1];
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`3. Summary: ${summary ?? '(no summary)'}`);
  }, 60_000);
});
