/** The deployed task context: the bundled config, ports built once and only when used. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { awsTaskContext, bundledConfig, lazyPort } from '../../src/aws/context.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { ConfigError } from '../../src/errors.js';
import type { Artifacts } from '../../src/artifacts/port.js';

const YAML = `
version: 1
triggers: { severityFloor: HIGH }
repositories:
  - name: infra
    location: acme/infra
    provider: github
    iac: terraform
    owns: { accounts: ["111122223333"] }
approvals: { timeout: 12h }
validators:
  terraform: { mode: off }
  cfnLint: { mode: off }
`;

let dir: string;
beforeEach(() => void (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudmend-context-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes `value` as JSON into the temp dir and returns the path. */
function jsonFile(value: unknown, name = 'config.json'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

/** The file lib/functions.ts bundles: the validated config, serialised as JSON. */
const stackBundled = (yaml = YAML): string => jsonFile(parseConfig(yaml, 'cloudmend.config.yaml'));

describe('bundledConfig', () => {
  it('reads and validates the JSON named by CLOUDMEND_CONFIG_FILE, filling defaults', () => {
    const file = jsonFile({ version: 1, triggers: { severityFloor: 'HIGH' }, approvals: { timeout: '12h' } });
    const config = bundledConfig({ CLOUDMEND_CONFIG_FILE: file });
    expect(config.triggers).toEqual({ severityFloor: 'HIGH', customActionId: 'CloudmendRemediate' });
    expect(config.approvals.timeout).toBe(12 * 3600);
    expect(config.policy.default).toBe('pull_request_with_approval');
  });

  it('reads the config the stack bundles: a parsed config written back as JSON', () => {
    const config = bundledConfig({ CLOUDMEND_CONFIG_FILE: stackBundled() });
    expect(config).toEqual(parseConfig(YAML, 'cloudmend.config.yaml'));
  });

  it('reads cloudmend.config.json from LAMBDA_TASK_ROOT when CLOUDMEND_CONFIG_FILE is not set', () => {
    jsonFile({ version: 1, triggers: { severityFloor: 'CRITICAL' } }, 'cloudmend.config.json');
    expect(bundledConfig({ LAMBDA_TASK_ROOT: dir }).triggers.severityFloor).toBe('CRITICAL');
  });

  it('rejects an invalid config with a ConfigError naming the file and the path of each problem', () => {
    const file = jsonFile({
      version: 1,
      triggers: { severityFloor: 'SEVERE' },
      repositories: [{ name: 'infra', location: 'x', iac: 'pulumi', owns: { accounts: ['123'] } }],
    });
    const thrown = (() => {
      try {
        bundledConfig({ CLOUDMEND_CONFIG_FILE: file });
      } catch (error) {
        return error;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(thrown).toBeInstanceOf(ConfigError);
    const message = (thrown as Error).message;
    expect(message).toContain(`${file} is not a valid cloudmend config`);
    expect(message).toContain('triggers.severityFloor');
    expect(message).toContain('repositories[0].iac');
    expect(message).toContain('repositories[0].owns.accounts[0]: must be a 12-digit AWS account id');
  });

  it('rejects a timeout over 7d even when the stack wrote it as seconds', () => {
    const file = jsonFile({
      ...parseConfig('version: 1\n', 'c.yaml'),
      approvals: { timeout: 8 * 86_400, approvers: { users: [], groups: [] } },
    });
    expect(() => bundledConfig({ CLOUDMEND_CONFIG_FILE: file })).toThrow(/approvals\.timeout/);
  });
});

describe('awsTaskContext', () => {
  const artifactsPort = (): Artifacts => ({ put: () => Promise.resolve(), get: <T>() => Promise.resolve({ stored: true } as T) });

  it('builds the context once per container: the same promise every time', async () => {
    const get = awsTaskContext({}, { CLOUDMEND_CONFIG_FILE: stackBundled() });
    const first = get();
    expect(get()).toBe(first);
    const ctx = await first;
    expect(ctx.config.triggers.severityFloor).toBe('HIGH');
    expect(ctx.configDir).toBe('/tmp');
  });

  it('names its actor after the function', async () => {
    const ctx = await awsTaskContext({}, { CLOUDMEND_CONFIG_FILE: stackBundled(), AWS_LAMBDA_FUNCTION_NAME: 'cloudmend-Claim' })();
    expect(ctx.actor).toBe('workflow:cloudmend-Claim');
  });

  it('creates a port on the first call of one of its methods, once, from the environment and config', async () => {
    const env = { CLOUDMEND_CONFIG_FILE: stackBundled(), CLOUDMEND_ARTIFACTS_BUCKET: 'bucket' };
    const factory = vi.fn((_env: NodeJS.ProcessEnv, _config: Config) => artifactsPort());
    const ctx = await awsTaskContext({ artifacts: factory }, env)();
    expect(factory).not.toHaveBeenCalled();
    expect(await ctx.artifacts.get('patches/a.json')).toEqual({ stored: true });
    await ctx.artifacts.put('patches/b.json', {});
    await Promise.all([ctx.artifacts.get('x'), ctx.artifacts.get('y')]);
    expect(factory).toHaveBeenCalledTimes(1);
    expect(factory.mock.calls[0]?.[0]).toBe(env);
    expect(factory.mock.calls[0]?.[1]).toBe(ctx.config);
  });

  it('awaits a factory that returns a promise', async () => {
    const factory = vi.fn(() => Promise.resolve(artifactsPort()));
    const ctx = await awsTaskContext({ artifacts: factory }, { CLOUDMEND_CONFIG_FILE: stackBundled() })();
    expect(await ctx.artifacts.get('k')).toEqual({ stored: true });
  });

  it.each([
    ['ledger', 'get'],
    ['repositories', 'snapshot'],
    ['pullRequests', 'open'],
    ['approvals', 'requestApproval'],
    ['findingUpdates', 'pullRequestOpened'],
  ] as const)(
    'throws naming the %s port and src/workflow/tasks.ts when %s is called on a port that was not passed',
    async (port, method) => {
      const ctx = await awsTaskContext({ artifacts: () => artifactsPort() }, { CLOUDMEND_CONFIG_FILE: stackBundled() })();
      const target = ctx[port] as unknown as Record<string, () => Promise<unknown>>;
      await expect(target[method]!()).rejects.toThrow(
        new RegExp(`not deployed with the ${port} port: add it to the task's ports in src/workflow/tasks\\.ts`),
      );
    },
  );

  it('fails the build, not a later call, when the bundled config is invalid', async () => {
    const get = awsTaskContext({}, { CLOUDMEND_CONFIG_FILE: jsonFile({ version: 2 }) });
    await expect(get()).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('lazyPort', () => {
  interface Pinger {
    ping(): Promise<string>;
  }
  const pinger = (): Pinger => ({ ping: () => Promise.resolve('pong') });

  it('is not thenable: awaiting it creates nothing and yields the port itself', async () => {
    const create = vi.fn(pinger);
    const port = lazyPort(create);
    expect((port as unknown as { then?: unknown }).then).toBeUndefined();
    expect(await Promise.resolve(port)).toBe(port);
    expect(create).not.toHaveBeenCalled();
    expect(await port.ping()).toBe('pong');
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('creates the port once for concurrent first calls', async () => {
    const create = vi.fn(() => Promise.resolve(pinger()));
    const port = lazyPort(create);
    expect(await Promise.all([port.ping(), port.ping(), port.ping()])).toEqual(['pong', 'pong', 'pong']);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('tries again on the next call after creating the port failed (a secret fixed since, a throttled read)', async () => {
    const create = vi.fn<() => Pinger>().mockImplementationOnce(() => {
      throw new Error('secret arn:aws:secretsmanager:…:cloudmend/github is not filled in as cloudmend expects');
    });
    create.mockImplementation(pinger);
    const port = lazyPort(create);
    await expect(port.ping()).rejects.toThrow(/not filled in/);
    expect(await port.ping()).toBe('pong');
    expect(await port.ping()).toBe('pong');
    expect(create).toHaveBeenCalledTimes(2);
  });
});
