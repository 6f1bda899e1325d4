/** What the construct refuses to build, and how it says so. */
import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { CloudmendPropsError, validateCloudmendProps } from '../../lib/cloudmend.js';
import { deployRegion } from '../../lib/deploy-region.js';
import type { SandboxArchitecture } from '../../lib/sandbox.js';
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
      expect.stringMatching(
        /^config repositories\[0\] \(infra-live\) uses provider local.*set provider: github and location: <owner>\/<name>$/,
      ),
      expect.stringMatching(/^config approvals\.slack\.channel is required/),
      expect.stringMatching(/^config approvals\.approvers lists nobody/),
      expect.stringMatching(/^artifactRetention \(0\.5 days\) must be longer than approvals\.timeout \(1 days\)/),
      expect.stringMatching(/^config model\.region is eu-west-1 but the stack deploys to us-east-1/),
    ]);
  });

  it('throws a user-facing error listing them when the construct is built', () => {
    const config = exampleConfig((t) =>
      t.replace('provider: github\n    location: acme/infra-live', 'provider: local\n    location: repos/infra-live'),
    );
    expect(() => build({ config })).toThrow(CloudmendPropsError);
    expect(() => build({ config })).toThrow(/Cloudmend cannot be built:\n  - config repositories\[0\]/);
  });

  it('refuses a CDK app’s nodeModules, which only a local run can read', () => {
    const config = exampleConfig((t) => t.replace('iac: cloudformation', 'iac: cdk\n    nodeModules: ../platform-stacks/node_modules'));
    expect(validateCloudmendProps({ config }, 'us-east-1')).toEqual([
      expect.stringMatching(/^config repositories\[1\] \(platform-stacks\) sets nodeModules, .*sandbox image's aws-cdk-lib and constructs/),
    ]);
  });

  it('refuses batches too large for one execution’s state', () => {
    const config = exampleConfig((t) => `${t}\nbatching: { windowSeconds: 60, maxFindings: 150 }\n`);
    expect(validateCloudmendProps({ config }, 'us-east-1')).toEqual([
      expect.stringMatching(/batching\.maxFindings is 150: .*at most 100 findings/),
    ]);
  });

  it('does not ask for Slack when no policy tier needs an approval', () => {
    const config = exampleConfig((t) => t.replaceAll('pull_request_with_approval', 'pull_request').replace(/approvals:[\s\S]*?\n\n/, ''));
    expect(validateCloudmendProps({ config }, 'us-east-1')).toEqual([]);
  });

  it('refuses a sandbox architecture it cannot build, naming the two it can', () => {
    expect(validateCloudmendProps({ config: exampleConfig(), sandboxArchitecture: 'amd64' as SandboxArchitecture }, 'us-east-1')).toEqual([
      expect.stringMatching(/^sandboxArchitecture is amd64: use arm64 .* or x86_64 .*-c sandboxArchitecture=x86_64/),
    ]);
  });
});

describe('the Region the CDK app deploys to', () => {
  it('is the one named: -c region= first, then AWS_REGION, then AWS_DEFAULT_REGION, then what the CDK CLI found', () => {
    expect(deployRegion('eu-west-1', { AWS_REGION: 'eu-central-1', CDK_DEFAULT_REGION: 'us-east-1' })).toBe('eu-west-1');
    expect(
      deployRegion(undefined, { AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'ap-southeast-2', CDK_DEFAULT_REGION: 'us-east-1' }),
    ).toBe('eu-central-1');
    expect(deployRegion(undefined, { AWS_DEFAULT_REGION: 'ap-southeast-2' })).toBe('ap-southeast-2');
    expect(deployRegion(undefined, { CDK_DEFAULT_REGION: 'us-gov-west-1' })).toBe('us-gov-west-1');
    expect(deployRegion('us-east-1', { CDK_DEFAULT_REGION: 'us-east-1' })).toBe('us-east-1');
  });

  it('is never assumed: without one, or with only the CDK CLI’s us-east-1 fallback, synth stops and says how to pass it', () => {
    for (const env of [{}, { CDK_DEFAULT_REGION: 'us-east-1' }, { AWS_REGION: '' }]) {
      expect(() => deployRegion(undefined, env)).toThrow(CloudmendPropsError);
      expect(() => deployRegion(undefined, env)).toThrow(/^no AWS Region given: .*-c region=eu-west-1.*AWS_REGION/);
    }
    expect(() => deployRegion(undefined, { CDK_DEFAULT_REGION: 'us-east-1' })).toThrow(/to deploy there, name it/);
  });

  it('refuses a value that is not a Region name, naming where it came from', () => {
    expect(() => deployRegion('eu-west', {})).toThrow(/^-c region= is "eu-west", which is not an AWS Region name/);
    expect(() => deployRegion(undefined, { AWS_REGION: 'Ireland' })).toThrow(/^AWS_REGION is "Ireland"/);
  });
});
