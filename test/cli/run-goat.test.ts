import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ACCOUNT, asffFinding, importedEvent } from '../support/events.js';
import { GOAT_FILES } from '../support/goat-terraform.js';
import { makeWorld, type World } from '../local/fixture.js';

let world: World | undefined;
afterEach(() => world?.cleanup());

describe('cloudmend run on a repository that names buckets after the account', () => {
  it('locates an S3.8 finding sent as AWS sends it (no tags added) and opens its pull request', async () => {
    world = await makeWorld('', Object.fromEntries(Object.entries(GOAT_FILES).map(([path, text]) => [basename(path), text])));
    const event = join(world.root, 'event.json');
    const resource = { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${ACCOUNT}-acme-dev-data`, Partition: 'aws', Region: 'us-east-1' };
    writeFileSync(event, JSON.stringify(importedEvent([asffFinding({ Resources: [resource] })])));
    let stdout = '';
    const argv = ['run', event, '--config', world.configFile, '--state', world.state, '--approve', 'auto', '--json'];
    const code = await main(argv, { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: world.root, env: {} });
    const report = JSON.parse(stdout) as { results: Record<string, unknown>[] };
    expect(report.results).toMatchObject([{ controlId: 'S3.8', status: 'pr_opened', files: ['s3.tf'] }]);
    expect(code).toBe(0);
  });
});
