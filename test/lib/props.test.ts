/** What the construct refuses to build, and how it says so. */
import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { CloudmendPropsError, validateCloudmendProps } from '../../lib/cloudmend.js';
import { build, exampleConfig } from './fixture.js';

describe('Cloudmend props', () => {
  it('accepts the example AWS config', () => {
    expect(validateCloudmendProps({ config: exampleConfig() }, 'us-east-1')).toEqual([]);
  });

  it('lists every problem at once, each naming what to change', () => {
    const config = exampleConfig((t) =>
      t
        .replace('provider: github\n    location: acme/infra-live', 'provider: local\n    location: repos/infra-live')
        .replace(/  slack:\n    channel: C0123456789[^\n]*\n/, '')
        .replace('users: [U024BE7LH]', 'users: []')
        .replace('groups: [S0614TZR7]', 'groups: []')
        .replace('budgets:', 'region: eu-west-1\n  budgets:'),
    );
    const problems = validateCloudmendProps({ config, artifactRetention: Duration.hours(12) }, 'us-east-1');
    expect(problems).toEqual([
      expect.stringMatching(/^config repositories\[0\] \(infra-live\) uses provider local.*set provider: github and location: <owner>\/<name>$/),
      expect.stringMatching(/^config approvals\.slack\.channel is required/),
      expect.stringMatching(/^config approvals\.approvers lists nobody/),
      expect.stringMatching(/^artifactRetention \(0\.5 days\) must be longer than approvals\.timeout \(1 days\)/),
      expect.stringMatching(/^config model\.region is eu-west-1 but the stack deploys to us-east-1/),
    ]);
  });

  it('throws a user-facing error listing them when the construct is built', () => {
    const config = exampleConfig((t) => t.replace('provider: github\n    location: acme/infra-live', 'provider: local\n    location: repos/infra-live'));
    expect(() => build({ config })).toThrow(CloudmendPropsError);
    expect(() => build({ config })).toThrow(/Cloudmend cannot be built:\n  - config repositories\[0\]/);
  });

  it('refuses batches too large for one execution’s state', () => {
    const config = exampleConfig((t) => `${t}\nbatching: { windowSeconds: 60, maxFindings: 150 }\n`);
    expect(validateCloudmendProps({ config }, 'us-east-1')).toEqual([expect.stringMatching(/batching\.maxFindings is 150: .*at most 100 findings/)]);
  });

  it('does not ask for Slack when no policy tier needs an approval', () => {
    const config = exampleConfig((t) => t.replaceAll('pull_request_with_approval', 'pull_request').replace(/approvals:[\s\S]*?\n\n/, ''));
    expect(validateCloudmendProps({ config }, 'us-east-1')).toEqual([]);
  });
});
