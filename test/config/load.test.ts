import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { ConfigSchema } from '../../src/config/schema.js';

const EXAMPLE = join(import.meta.dirname, '../../examples/cloudmend.config.yaml');

function problems(yaml: string): string {
  try {
    parseConfig(yaml, 'cloudmend.config.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const REPO = `
repositories:
  - name: infra
    location: ./infra
    iac: terraform
    owns: { accounts: ["111122223333"] }
`;

describe('config', () => {
  it('gives secure defaults when the file says only its version', () => {
    const config = parseConfig('version: 1\n', 'c.yaml');
    expect(config).toMatchObject({
      triggers: { severityFloor: 'MEDIUM', customActionId: 'CloudmendRemediate' },
      repositories: [],
      policy: { default: 'pull_request_with_approval', rules: [] },
      approvals: { timeout: 86_400, approvers: { users: [], groups: [] } },
      model: { provider: 'none', budgets: { maxIterations: 8, maxTokens: 200_000, maxSeconds: 600 } },
      schedules: [],
      ledger: { path: '.cloudmend/ledger.db' },
      recovery: { stuckAfter: 6 * 3600 },
    });
  });

  it('reads the commented example config in examples/', () => {
    const { config, file } = loadConfig({ path: EXAMPLE, env: {} });
    expect(file).toBe(EXAMPLE);
    expect(config.repositories.map((r) => r.name)).toEqual(['infra-live', 'platform-stacks', 'storefront-cdk']);
    expect(config.policy.rules.map((r) => r.tier)).toEqual(['recommend', 'pull_request', 'pull_request_with_approval']);
    expect(config.approvals.timeout).toBe(24 * 3600);
  });

  it('reads an organization with the root to deploy to, and no organization by default', () => {
    const yaml = 'version: 1\norganization:\n  id: o-a1b2c3d4e5\n  organizationalUnits: [r-ab12, ou-ab12-cdef3456]\n';
    expect(parseConfig(yaml, 'c.yaml').organization).toEqual({
      id: 'o-a1b2c3d4e5',
      organizationalUnits: ['r-ab12', 'ou-ab12-cdef3456'],
      callAs: 'DELEGATED_ADMIN',
    });
    expect(parseConfig('version: 1\n', 'c.yaml').organization).toBeUndefined();
  });

  it('fills repository defaults', () => {
    expect(parseConfig(`version: 1\n${REPO}`, 'c.yaml').repositories[0]).toMatchObject({ provider: 'local', defaultBranch: 'main' });
  });

  it('reads an unquoted account id, which YAML makes a number, as the 12-digit id', () => {
    const config = parseConfig(
      'version: 1\nrepositories:\n  - { name: r, location: x, iac: terraform, owns: { accounts: [011122223333] } }\n',
      'c.yaml',
    );
    expect(config.repositories[0]?.owns.accounts).toEqual(['011122223333']);
  });

  it.each([
    [
      'a bad value, with its path and line',
      `version: 1\npolicy:\n  default: yolo\n`,
      /policy\.default \(line 3\): Invalid option: expected one of "observe"/,
    ],
    [
      'a typo in a key, with the nearest key',
      `version: 1${REPO}    defualtBranch: main\n`,
      /repositories\[0\] \(line 7\): unknown key "defualtBranch"; did you mean "defaultBranch"\?/,
    ],
    [
      'a missing required key, at its parent',
      'version: 1\nrepositories:\n  - name: infra\n    iac: terraform\n    owns: { accounts: ["*"] }\n',
      /repositories\[0\]\.location \(line 3\)/,
    ],
    ['a wrong version', 'version: 2\n', /version \(line 1\): Invalid input: expected 1/],
    ['a malformed account id', `version: 1${REPO.replace('"111122223333"', '"1111"')}`, /owns\.accounts\[0\].*12-digit AWS account id/],
    ['a github location that is not owner/name', `version: 1${REPO}    provider: github\n`, /repositories\[0\]\.location.*owner\/name/],
    ['bedrock without a model id', 'version: 1\nmodel:\n  provider: bedrock\n', /model\.modelId.*required when provider is bedrock/],
    [
      'a duplicate repository name',
      `version: 1${REPO}${REPO.replace('repositories:\n', '')}`,
      /repositories\[1\]\.name.*duplicate name "infra"/,
    ],
    ['a bad duration', 'version: 1\napprovals:\n  timeout: 1 day\n', /approvals\.timeout.*duration such as 30m/],
    [
      'a stuck bound shorter than the sandbox may take',
      'version: 1\nrecovery:\n  stuckAfter: 1h\n',
      /recovery\.stuckAfter.*must be 5h or more/,
    ],
    [
      'a schedule expression EventBridge would refuse',
      'version: 1\nschedules:\n  - { name: s, task: backfill, expression: "0 6 * * *" }\n',
      /schedules\[0\]\.expression.*cron\(\.\.\.\) or rate/,
    ],
    [
      'an organization id that is not o- and 10-32 lowercase letters or digits',
      'version: 1\norganization: { id: o-ABC, organizationalUnits: [r-ab12] }\n',
      /organization\.id.*o- followed by 10-32/,
    ],
    [
      'an organization without a root or OU to deploy to',
      'version: 1\norganization: { id: o-a1b2c3d4e5, organizationalUnits: [o-a1b2c3d4e5] }\n',
      /organization\.organizationalUnits\[0\].*root id/,
    ],
  ])('reports %s', (_, yaml, message) => {
    expect(problems(yaml)).toMatch(message);
  });

  it('reports every problem at once, counted', () => {
    expect(problems('version: 1\npolicy:\n  default: yolo\ntriggers:\n  severityFloor: SEVERE\n')).toMatch(
      /^cloudmend\.config\.yaml has 2 problems:\n  - /,
    );
  });

  it.each([
    ['invalid YAML', 'version: 1\nrepositories: [\n', /is not valid YAML/],
    ['a duplicate key', 'version: 1\nversion: 1\n', /is not valid YAML.*[Mm]ap keys must be unique/s],
  ])('rejects %s', (_, yaml, message) => {
    expect(problems(yaml)).toMatch(message);
  });
});

describe('config file location', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloudmend-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers an explicit path, then CLOUDMEND_CONFIG, then ./cloudmend.config.yaml, then defaults', () => {
    writeFileSync(join(dir, 'explicit.yaml'), 'version: 1\ntriggers: { severityFloor: LOW }\n');
    writeFileSync(join(dir, 'env.yaml'), 'version: 1\ntriggers: { severityFloor: HIGH }\n');
    const env = { CLOUDMEND_CONFIG: 'env.yaml' };
    expect(loadConfig({ path: 'explicit.yaml', env, cwd: dir }).config.triggers.severityFloor).toBe('LOW');
    expect(loadConfig({ env, cwd: dir }).config.triggers.severityFloor).toBe('HIGH');
    expect(loadConfig({ env: {}, cwd: dir })).toMatchObject({
      file: undefined,
      baseDir: dir,
      config: { triggers: { severityFloor: 'MEDIUM' } },
    });
    writeFileSync(join(dir, 'cloudmend.config.yaml'), 'version: 1\ntriggers: { severityFloor: CRITICAL }\n');
    expect(loadConfig({ env: {}, cwd: dir })).toMatchObject({
      file: join(dir, 'cloudmend.config.yaml'),
      config: { triggers: { severityFloor: 'CRITICAL' } },
    });
  });

  it('resolves relative paths in the config against the directory of the file', () => {
    mkdirSync(join(dir, 'conf'));
    writeFileSync(join(dir, 'conf', 'c.yaml'), 'version: 1\n');
    expect(loadConfig({ path: 'conf/c.yaml', env: {}, cwd: dir }).baseDir).toBe(join(dir, 'conf'));
  });

  it.each([
    ['a file that does not exist', 'missing.yaml', /missing\.yaml does not exist; pass --config <file> or set CLOUDMEND_CONFIG/],
    ['a directory', '.', /is a directory/],
  ])('says so for %s', (_, path, message) => {
    expect(() => loadConfig({ path, env: {}, cwd: dir })).toThrow(message);
  });
});

describe('a parsed config', () => {
  // The deployed functions read the config the stack wrote as JSON after validating it.
  it.each(['cloudmend.config.yaml', 'cloudmend.aws.yaml'])('parses again to itself after a JSON round trip (examples/%s)', (name) => {
    const file = join(import.meta.dirname, '../../examples', name);
    const parsed = loadConfig({ path: file, env: {}, cwd: tmpdir() }).config;
    expect(ConfigSchema.parse(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
  });
});
