/**
 * `cloudmend smoke`'s prerequisite checks through their real adapters: CloudFormation, Security
 * Hub and Secrets Manager on moto_server; GitHub and Slack as local HTTP servers answering the
 * routes the adapters call.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BedrockClient, GetFoundationModelAvailabilityCommand, GetInferenceProfileCommand } from '@aws-sdk/client-bedrock';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DisableSecurityHubCommand, EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { awsSmokeProbes } from '../../src/aws/smoke-probes.js';
import { parseConfig } from '../../src/config/load.js';
import { SMOKE_OUTPUTS, prerequisiteChecks, type PrerequisiteReport, type SmokeCheck } from '../../src/smoke/checks.js';
import { motoInstalled, startMoto, type Moto } from '../ledger/dynamodb-moto.js';

const available = motoInstalled();
if (!available) console.warn('smoke-checks.test: moto_server is not on the PATH (pip install "moto[server]"); skipped');

const region = 'us-east-1';
const config = parseConfig(readFileSync('examples/cloudmend.aws.yaml', 'utf8'), 'examples/cloudmend.aws.yaml');
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const INSTALLATION = 7890123;
const github = JSON.stringify({ appId: '123456', installationId: String(INSTALLATION), privateKey });
const SIGNING_SECRET = 'not-to-be-printed-0123456789';
const slack = JSON.stringify({ botToken: 'xoxb-1-2-3', signingSecret: SIGNING_SECRET });

/** A JSON server: `answer(method, path)` gives the status and body. */
async function jsonServer(answer: (path: string) => [number, unknown]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const [status, body] = answer(new URL(req.url ?? '/', 'http://x').pathname);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function byName(report: PrerequisiteReport, name: string): SmokeCheck {
  const check = report.checks.find((c) => c.name === name);
  if (check === undefined) throw new Error(`no check ${name} in ${report.checks.map((c) => c.name).join(', ')}`);
  return check;
}

const MODEL = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const AVAILABLE = {
  modelId: 'anthropic.claude-sonnet-4-20250514-v1:0',
  authorizationStatus: 'AUTHORIZED',
  entitlementAvailability: 'AVAILABLE',
  agreementAvailability: { status: 'AVAILABLE' },
  // A cross-Region profile's model need not be offered in the stack's Region.
  regionAvailability: 'NOT_AVAILABLE',
} as const;
let availability: Record<string, unknown> | 'denied' = AVAILABLE;

describe.skipIf(!available)('smoke prerequisite checks on moto_server', () => {
  // moto has no Bedrock control plane: its SDK boundary is mocked.
  const bedrock = mockClient(BedrockClient);
  beforeEach(() => {
    availability = AVAILABLE;
    bedrock.reset();
    bedrock.on(GetInferenceProfileCommand, { inferenceProfileIdentifier: MODEL }).resolves({
      models: ['us-east-1', 'us-east-2'].map((r) => ({
        modelArn: `arn:aws:bedrock:${r}::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0`,
      })),
    });
    bedrock.on(GetFoundationModelAvailabilityCommand).callsFake(() => {
      if (availability === 'denied') throw Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });
      return availability;
    });
  });
  afterAll(() => bedrock.restore());

  let moto: Moto;
  let clients: {
    bedrock: BedrockClient;
    cloudFormation: CloudFormationClient;
    securityHub: SecurityHubClient;
    secretsManager: SecretsManagerClient;
  };
  let gitHub: { url: string; server: Server };
  let slackApi: { url: string; server: Server };
  const installed = new Set(['acme/infra-live', 'acme/platform-stacks']);
  const broken = new Set<string>();
  let member = true;
  let installationId = INSTALLATION;
  let arns: { GitHubSecretArn: string; SlackSecretArn: string };

  beforeAll(async () => {
    moto = await startMoto();
    const common = { endpoint: moto.endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    clients = {
      bedrock: new BedrockClient(common),
      cloudFormation: new CloudFormationClient(common),
      securityHub: new SecurityHubClient(common),
      secretsManager: new SecretsManagerClient(common),
    };
    gitHub = await jsonServer((path) => {
      const repo = /^\/repos\/([^/]+\/[^/]+)(?:\/installation)?$/.exec(path)?.[1];
      if (repo && broken.has(repo)) return [500, { message: 'Server Error' }];
      return repo && installed.has(repo) ? [200, { id: installationId }] : [404, { message: 'Not Found' }];
    });
    slackApi = await jsonServer((path) =>
      path === '/api/auth.test'
        ? [200, { ok: true }]
        : [200, { ok: true, channel: { id: 'C0123456789', name: 'approvals', is_member: member } }],
    );
    const secret = async (Name: string) =>
      (await clients.secretsManager.send(new CreateSecretCommand({ Name, SecretString: '{}' }))).ARN ?? '';
    arns = { GitHubSecretArn: await secret('github'), SlackSecretArn: await secret('slack') };
    const outputs = (keys: readonly string[]) =>
      Object.fromEntries(keys.map((key) => [key, { Value: key in arns ? arns[key as keyof typeof arns] : `value-of-${key}` }]));
    const template = (keys: readonly string[]) =>
      JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } }, Outputs: outputs(keys) });
    await clients.cloudFormation.send(new CreateStackCommand({ StackName: 'Cloudmend', TemplateBody: template(SMOKE_OUTPUTS) }));
    const older = SMOKE_OUTPUTS.filter((key) => key !== 'EventBusName');
    await clients.cloudFormation.send(new CreateStackCommand({ StackName: 'CloudmendOlder', TemplateBody: template(older) }));
  }, 30_000);

  afterAll(async () => {
    gitHub?.server.close();
    slackApi?.server.close();
    await moto?.stop();
  });

  beforeEach(async () => {
    installed.add('acme/platform-stacks').add('acme/infra-live');
    broken.clear();
    member = true;
    installationId = INSTALLATION;
    await clients.securityHub.send(new EnableSecurityHubCommand({})).catch(() => undefined);
    await clients.secretsManager.send(new PutSecretValueCommand({ SecretId: arns.GitHubSecretArn, SecretString: github }));
    await clients.secretsManager.send(new PutSecretValueCommand({ SecretId: arns.SlackSecretArn, SecretString: slack }));
  });

  const probes = () => awsSmokeProbes({ ...clients, githubBaseUrl: gitHub.url, slackApiUrl: `${slackApi.url}/api/` });
  const run = (stackName = 'Cloudmend') => prerequisiteChecks({ stackName, region, config }, probes());

  it('reports every check ok on a healthy stack', async () => {
    const report = await run();
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['stack outputs', 'ok'],
      ['Security Hub', 'ok'],
      ['GitHub secret', 'ok'],
      ['GitHub access to acme/infra-live', 'ok'],
      ['GitHub access to acme/platform-stacks', 'ok'],
      ['Slack secret', 'ok'],
      ['Slack channel C0123456789', 'ok'],
      ['model access', 'ok'],
    ]);
    expect(report.outputs).toMatchObject({ EventBusName: 'value-of-EventBusName', GitHubSecretArn: arns.GitHubSecretArn });
    expect(byName(report, 'model access').detail).toBe(`${MODEL} can be used in us-east-1 (anthropic.claude-sonnet-4-20250514-v1:0)`);
  });

  it('names the model access a Bedrock model still lacks, with where to request it', async () => {
    availability = { ...AVAILABLE, entitlementAvailability: 'NOT_AVAILABLE', agreementAvailability: { status: 'PENDING' } };
    expect(byName(await run(), 'model access')).toEqual({
      name: 'model access',
      status: 'problem',
      detail:
        'anthropic.claude-sonnet-4-20250514-v1:0: no access granted; anthropic.claude-sonnet-4-20250514-v1:0: end-user agreement pending',
      fix: expect.stringMatching(
        /^request access to anthropic\.claude-sonnet-4-20250514-v1:0 in the Amazon Bedrock console \(Model access\) in us-east-1, .*; then try: aws bedrock-runtime converse --region us-east-1 --model-id us\.anthropic\./,
      ) as string,
    });
  });

  it('skips model access, with the command to try it by hand, when the credentials cannot read it', async () => {
    availability = 'denied';
    expect(byName(await run(), 'model access')).toMatchObject({
      status: 'skipped',
      detail: expect.stringContaining('your credentials cannot read model access in us-east-1') as string,
      fix: expect.stringContaining('aws bedrock-runtime converse --region us-east-1 --model-id us.anthropic.') as string,
    });
  });

  it('names an empty GitHub secret with the put-secret-value fix, and skips the installation checks', async () => {
    await clients.secretsManager.send(new PutSecretValueCommand({ SecretId: arns.GitHubSecretArn, SecretString: '{}' }));
    const report = await run();
    expect(byName(report, 'GitHub secret')).toEqual({
      name: 'GitHub secret',
      status: 'problem',
      detail: `secret ${arns.GitHubSecretArn} is empty`,
      fix: expect.stringContaining(
        `aws secretsmanager put-secret-value --secret-id ${arns.GitHubSecretArn} --secret-string file://github-secret.json`,
      ) as string,
    });
    expect(byName(report, 'GitHub access to acme/infra-live').status).toBe('skipped');
    expect(byName(report, 'Slack channel C0123456789').status).toBe('ok');
  });

  it('names a secret left with example values and never prints what it holds', async () => {
    const example = JSON.stringify({ botToken: 'xoxb-...', signingSecret: SIGNING_SECRET });
    await clients.secretsManager.send(new PutSecretValueCommand({ SecretId: arns.SlackSecretArn, SecretString: example }));
    const report = await run();
    expect(byName(report, 'Slack secret')).toMatchObject({
      status: 'problem',
      detail: `secret ${arns.SlackSecretArn} still holds example values (botToken)`,
    });
    expect(byName(report, 'Slack secret').fix).toContain(`put-secret-value --secret-id ${arns.SlackSecretArn}`);
    expect(JSON.stringify(report)).not.toContain(SIGNING_SECRET);
    expect(JSON.stringify(report)).not.toContain(privateKey.split('\n')[1]);
  });

  it('names a stack output the stack lacks and says to redeploy', async () => {
    const report = await run('CloudmendOlder');
    expect(byName(report, 'stack outputs')).toMatchObject({ status: 'problem', detail: 'stack CloudmendOlder has no output EventBusName' });
    expect(byName(report, 'stack outputs').fix).toContain('npx cdk deploy -c region=us-east-1 -c stackName=CloudmendOlder');
    expect(report.outputs).toBeUndefined();
    expect(byName(report, 'GitHub secret').status).toBe('skipped');
    expect(byName(report, 'Security Hub').status).toBe('ok');
  });

  it('says how to deploy or name the stack when the Region has none', async () => {
    const report = await run('Nowhere');
    expect(byName(report, 'stack outputs')).toMatchObject({ status: 'problem', detail: 'no stack Nowhere in us-east-1' });
    expect(byName(report, 'stack outputs').fix).toMatch(/^deploy it with npx cdk deploy .*, or pass --stack$/);
  });

  it('gives the enable command when Security Hub is off in the Region', async () => {
    await clients.securityHub.send(new DisableSecurityHubCommand({}));
    expect(byName(await run(), 'Security Hub')).toEqual({
      name: 'Security Hub',
      status: 'problem',
      detail: 'not enabled in us-east-1',
      fix: 'enable Security Hub: aws securityhub enable-security-hub --region us-east-1',
    });
  });

  it('names the repository the GitHub App is not installed on, and checks the others', async () => {
    installed.delete('acme/platform-stacks');
    const report = await run();
    expect(byName(report, 'GitHub access to acme/platform-stacks')).toEqual({
      name: 'GitHub access to acme/platform-stacks',
      status: 'problem',
      detail: 'the GitHub App is not installed on acme/platform-stacks',
      fix: 'install the GitHub App on acme/platform-stacks',
    });
    expect(byName(report, 'GitHub access to acme/infra-live').status).toBe('ok');
  });

  it('turns one check that fails unexpectedly into its problem and runs the others', async () => {
    broken.add('acme/infra-live');
    const report = await run();
    expect(byName(report, 'GitHub access to acme/infra-live')).toMatchObject({
      status: 'problem',
      detail: expect.stringMatching(/^could not be checked: /) as string,
    });
    expect(report.checks.filter((c) => c.status === 'problem')).toHaveLength(1);
  });

  it('says to invite the bot when it is not in the approvals channel', async () => {
    member = false;
    expect(byName(await run(), 'Slack channel C0123456789')).toEqual({
      name: 'Slack channel C0123456789',
      status: 'problem',
      detail: 'the bot is not in #approvals',
      fix: 'invite the bot: /invite @<app name> in #approvals',
    });
  });

  it('names the installation id to put in the secret when the App is installed under another one', async () => {
    installationId = 42;
    expect(byName(await run(), 'GitHub access to acme/infra-live')).toMatchObject({
      status: 'problem',
      detail: `the App is installed on acme/infra-live as installation 42, the secret names ${INSTALLATION}`,
      fix: 'put installationId 42 in the GitHub secret',
    });
  });

  it('checks a token by reading each repository', async () => {
    installed.delete('acme/infra-live');
    await clients.secretsManager.send(
      new PutSecretValueCommand({ SecretId: arns.GitHubSecretArn, SecretString: '{"token":"github_pat_x"}' }),
    );
    const report = await run();
    expect(byName(report, 'GitHub access to acme/infra-live')).toMatchObject({
      status: 'problem',
      detail: 'the token cannot see acme/infra-live',
      fix: 'give the token access to acme/infra-live (Contents and Pull requests: read and write)',
    });
    expect(byName(report, 'GitHub access to acme/platform-stacks')).toMatchObject({
      status: 'ok',
      detail: 'the token can see acme/platform-stacks',
    });
  });

  it('names a secret the credentials cannot read, with the permission to grant, and skips what needs it', async () => {
    const denied = Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
    const report = await prerequisiteChecks(
      { stackName: 'Cloudmend', region, config },
      { ...probes(), secretString: () => Promise.reject(denied) },
    );
    expect(byName(report, 'Slack secret')).toEqual({
      name: 'Slack secret',
      status: 'problem',
      detail: `secret ${arns.SlackSecretArn} cannot be read (AccessDeniedException)`,
      fix: `allow secretsmanager:GetSecretValue on ${arns.SlackSecretArn} to the credentials in use`,
    });
    expect(byName(report, 'Slack channel C0123456789').status).toBe('skipped');
    expect(byName(report, 'GitHub access to acme/platform-stacks').status).toBe('skipped');
  });
  it('runs as cloudmend smoke --checks-only with the caller’s credentials: a missing output is named with its fix, exit 1', async () => {
    // The SDK's clients read the endpoint and the credentials from the environment, as with a user's own.
    vi.stubEnv('AWS_ENDPOINT_URL', moto.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
    try {
      const run = async (...argv: string[]) => {
        let stdout = '';
        let stderr = '';
        const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), cwd: process.cwd(), env: {} };
        const code = await main(['smoke', '--checks-only', '--region', region, '--config', 'examples/cloudmend.aws.yaml', ...argv], io);
        return { code, stdout, stderr };
      };
      const older = await run('--stack', 'CloudmendOlder');
      expect(older.code).toBe(1);
      expect(older.stdout).toMatch(/^prerequisites of stack CloudmendOlder in us-east-1:\n {2}problem {2}stack outputs: .*EventBusName/);
      expect(older.stdout).toMatch(/\n {6}fix: .+/);
      expect(older.stdout).toMatch(/\n\d+ problems?: fix and run again\n$/);
      for (const secret of [github, slack]) expect(older.stdout).not.toContain(secret);
      const none = await run('--stack', 'Nowhere', '--json');
      expect(none.code).toBe(1);
      const checks = (JSON.parse(none.stdout) as { checks: SmokeCheck[] }).checks;
      expect(checks[0]).toMatchObject({ name: 'stack outputs', status: 'problem', detail: 'no stack Nowhere in us-east-1' });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('sends no smoke finding while a prerequisite has a problem: the problem and its fix, exit 1', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', moto.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
    await clients.secretsManager.send(new PutSecretValueCommand({ SecretId: arns.GitHubSecretArn, SecretString: '{}' }));
    try {
      let stdout = '';
      let stderr = '';
      const env = { CLOUDMEND_GITHUB_API_URL: gitHub.url, CLOUDMEND_SLACK_API_URL: `${slackApi.url}/api/` };
      const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), cwd: process.cwd(), env };
      const argv = ['smoke', '--region', region, '--config', 'examples/cloudmend.aws.yaml', '--repository', 'infra-live'];
      expect(await main(argv, io)).toBe(1);
      expect(stdout).toContain(
        `  problem  GitHub secret: secret ${arns.GitHubSecretArn} is empty\n      fix: aws secretsmanager put-secret-value`,
      );
      expect(stdout).toMatch(/problems?: fix and run again\nthe smoke finding was not sent\n$/);
      expect(stdout).toContain('  ok       Slack channel C0123456789: the bot is in #approvals');
      expect(stderr).toBe('');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it.each([
    [['--repository', 'nowhere'], 'no repository named nowhere in the config (have: infra-live, platform-stacks)'],
    [[], 'the config has 2 repositories (infra-live, platform-stacks): say which with --repository <name>'],
    [['--local', '--stack', 'Cloudmend'], '--stack is for a deployed stack, not --local'],
    [['--state', '.cloudmend'], '--state is for --local, not a deployed stack'],
    [['--wait', '0'], '--wait takes minutes, from 1 to 120 (got 0)'],
  ])('refuses smoke %j before touching anything: exit 2', async (extra, message) => {
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (t: string) => (stderr += t), cwd: process.cwd(), env: { AWS_REGION: region } };
    expect(await main(['smoke', '--config', 'examples/cloudmend.aws.yaml', ...extra], io)).toBe(2);
    expect(stderr).toContain(message);
  });
});
