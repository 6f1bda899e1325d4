/**
 * `cloudmend smoke` through a deployed stack, as far as this machine can deploy one: EventBridge,
 * SQS, Step Functions, DynamoDB, Secrets Manager, CloudFormation and Security Hub on moto_server;
 * GitHub as an in-process fake of its REST API. The smoke event goes on a bus whose rule is the
 * stack's smoke-test rule, into a queue; the real batching code starts the execution on moto (so
 * its name is the one the smoke test follows); the real workflow then runs through the local
 * runtime with the stack's ledger (DynamoDB) and GitHub, and the smoke test follows it. Only the
 * execution's progress comes from that local run: moto cannot run the stack's Lambda tasks.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { batchFindings } from '../../src/aws/batch-findings.js';
import { githubRepositoriesOf } from '../../src/aws/ports/github.js';
import { awsSmokePipeline } from '../../src/aws/smoke-pipeline.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { dynamoDbLedger } from '../../src/ledger/dynamodb.js';
import type { Ledger } from '../../src/ledger/port.js';
import { createRuntime } from '../../src/local/runtime.js';
import { artifactsAt, openLocal } from '../../src/local/setup.js';
import { githubOctokit } from '../../src/scm/github-auth.js';
import { githubBranches, githubPullRequests, githubRepositories } from '../../src/scm/github.js';
import type { SmokeOutputs } from '../../src/smoke/checks.js';
import { smokeFinding } from '../../src/smoke/finding.js';
import { smokeThroughStack, type ExecutionProgress, type StackSmokeDeps, type StackSmokeReport } from '../../src/smoke/deployed.js';
import { triggersFor } from '../../src/triggers/patterns.js';
import { smokeStack } from '../../src/cli/smoke-stack.js';
import { stringify } from 'yaml';
import { motoInstalled, motoSqs, startMoto, type Moto } from '../ledger/dynamodb-moto.js';
import { FakeGitHub, TOKEN } from '../scm/github-fake.js';

const available = motoInstalled();
if (!available) console.warn('smoke-deployed.test: moto_server is not on the PATH (pip install "moto[server]"); skipped');

const region = 'us-east-1';
const ACCOUNT = '123456789012';
const MAIN_TF = 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n';

function configWith(policy: string): Config {
  return parseConfig(
    `version: 1
repositories:
  - name: infra
    provider: github
    location: acme/infra
    iac: terraform
    owns: { accounts: ["${ACCOUNT}"] }
policy: ${policy}
`,
    'cloudmend.config.yaml',
  );
}

describe.skipIf(!available)('cloudmend smoke through a deployed stack', () => {
  let moto: Moto;
  let github: FakeGitHub;
  let scratchDir: string;
  let clients: { events: EventBridgeClient; sfn: SFNClient; dynamodb: DynamoDBClient };
  let outputs: SmokeOutputs;
  let queueUrl: string;
  let ledger: Ledger;

  beforeAll(async () => {
    moto = await startMoto();
    github = await FakeGitHub.start();
    scratchDir = mkdtempSync(join(tmpdir(), 'cloudmend-smoke-deployed-'));
    const common = { endpoint: moto.endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    clients = { events: new EventBridgeClient(common), sfn: new SFNClient(common), dynamodb: moto.client };
    const secrets = new SecretsManagerClient(common);
    const secret = async (Name: string, value: string) => (await secrets.send(new CreateSecretCommand({ Name, SecretString: value }))).ARN!;
    const bus = 'cloudmend-bus';
    await clients.events.send(new CreateEventBusCommand({ Name: bus }));
    queueUrl = String((await motoSqs<Record<string, unknown>>(moto.endpoint, 'CreateQueue', { QueueName: 'batching' })).QueueUrl);
    const attributes = await motoSqs<Record<string, unknown>>(moto.endpoint, 'GetQueueAttributes', {
      QueueUrl: queueUrl,
      AttributeNames: ['QueueArn'],
    });
    // The stack's smoke-test rule, from the trigger the CDK app deploys, less its detail filter: moto matches no field
    // inside an array of objects (detail.findings), which EventBridge and the local runtime's matcher do (patterns.test.ts).
    const { source, 'detail-type': detailType } = triggersFor(configWith('{ default: pull_request }')).find(
      (t) => t.name === 'smoke-test',
    )!.pattern;
    await clients.events.send(
      new PutRuleCommand({ Name: 'smoke-test', EventBusName: bus, EventPattern: JSON.stringify({ source, 'detail-type': detailType }) }),
    );
    await clients.events.send(
      new PutTargetsCommand({
        Rule: 'smoke-test',
        EventBusName: bus,
        Targets: [{ Id: 'batching', Arn: (attributes.Attributes as Record<string, string>).QueueArn }],
      }),
    );
    const stateMachine = await clients.sfn.send(
      new CreateStateMachineCommand({
        name: 'cloudmend-remediate',
        roleArn: `arn:aws:iam::${ACCOUNT}:role/cloudmend`,
        definition: JSON.stringify({ StartAt: 'Normalize', States: { Normalize: { Type: 'Pass', End: true } } }),
      }),
    );
    outputs = {
      EventBusName: bus,
      StateMachineArn: stateMachine.stateMachineArn!,
      LedgerTableName: await moto.createTable(),
      GitHubSecretArn: await secret('github', JSON.stringify({ token: TOKEN })),
      SlackSecretArn: await secret('slack', '{}'),
    };
    ledger = dynamoDbLedger({ client: moto.client, tableName: outputs.LedgerTableName });
    github.commit('main', { 'main.tf': MAIN_TF });
  }, 30_000);

  afterAll(async () => {
    await ledger?.close();
    await github?.close();
    await moto?.stop();
    rmSync(scratchDir, { recursive: true, force: true });
  });

  /**
   * The deployed pipeline, played at each wait of the smoke test: what reached the queue is batched
   * by the real batching code (the execution it starts on moto is the one the smoke test follows),
   * and the real workflow runs it with the stack's ledger and GitHub.
   */
  function stack(config: Config, options: { deliver?: boolean; stuck?: boolean } = {}) {
    const octokit = githubOctokit({ auth: { token: TOKEN }, baseUrl: github.url });
    const gh = { octokit, repositories: githubRepositoriesOf(config) };
    const progress: { status: string; states: string[]; error?: { Error: string; Cause: string } } = { status: 'RUNNING', states: [] };
    const started: string[] = [];
    let run: Promise<unknown> | undefined;
    const failed: { token: string; error: string }[] = [];
    const updated: { channel: string; ts: string; approvalId: string; outcome: unknown }[] = [];
    let markAsked!: () => void;
    const asked = new Promise<void>((resolve) => (markAsked = resolve));
    const aws = awsSmokePipeline({ events: clients.events, sfn: clients.sfn });

    async function deliver(): Promise<void> {
      const received = await motoSqs<Record<string, unknown>>(moto.endpoint, 'ReceiveMessage', {
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
      });
      const messages = ((received.Messages ?? []) as { MessageId: string; Body: string; ReceiptHandle: string }[]).map((m) => ({
        ...m,
        // moto leaves out the envelope's account, which EventBridge always sets.
        Body: JSON.stringify({ account: ACCOUNT, ...(JSON.parse(m.Body) as object) }),
      }));
      if (messages.length === 0) return;
      for (const m of messages)
        await motoSqs<Record<string, unknown>>(moto.endpoint, 'DeleteMessage', { QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle });
      const summary = await batchFindings({ Records: messages.map((m) => ({ messageId: m.MessageId, body: m.Body })) } as never, {
        config,
        sfn: clients.sfn,
        artifacts: artifactsAt(scratchDir),
        stateMachineArn: outputs.StateMachineArn,
        now: () => new Date(),
      });
      expect(summary).toMatchObject({ started: messages.length, failed: [] });
      const local = await openLocal({
        config,
        configDir: scratchDir,
        cwd: scratchDir,
        stateDir: join(scratchDir, `state-${Date.now()}`),
        env: {},
        approvals: {
          requestApproval: () => {
            markAsked();
            return Promise.resolve({ channel: 'C0123456789', messageTs: '1765000000.000100' });
          },
        },
        runId: 'deployed',
      });
      const context = {
        ...local.ctx,
        ledger,
        repositories: githubRepositories(gh),
        pullRequests: githubPullRequests(gh),
      };
      const runtime = createRuntime({
        context,
        approve: 'wait',
        pollMs: 5,
        onStep: (step) => {
          if (step.status === 'start') progress.states.push(step.step);
        },
      });
      for (const m of messages) {
        started.push((JSON.parse(m.Body) as { id: string }).id);
        run = runtime
          .run(JSON.parse(m.Body))
          .then((out) => {
            progress.status = out.error === undefined ? 'SUCCEEDED' : 'FAILED';
            if (out.error) progress.error = out.error;
          })
          .finally(() => local.close());
      }
    }
    const deps: Omit<StackSmokeDeps, 'runId' | 'now' | 'say'> = {
      pipeline: {
        putEvent: (bus, event) => aws.putEvent(bus, event),
        // The execution moto started must exist under the name the smoke test follows; its progress is the workflow's.
        execution: async (arn): Promise<ExecutionProgress | undefined> =>
          (await aws.execution(arn)) === undefined
            ? undefined
            : { ...progress, ...(options.stuck ? { status: 'RUNNING' } : {}), states: [...progress.states] },
        callbacks: {
          fail: (token, error) => {
            failed.push({ token, error });
            return Promise.resolve();
          },
        },
        updateMessage: ({ channel, ts, approvalId, outcome }) => {
          updated.push({ channel, ts, approvalId, outcome });
          return Promise.resolve();
        },
      },
      ledger,
      branches: githubBranches(gh),
      pullRequests: githubPullRequests(gh),
      actor: 'cli:tester',
      sleep: async () => {
        if (options.deliver !== false && run === undefined) await deliver();
        // The workflow runs until it ends or waits on a person; once the smoke test has answered, to its end.
        await (failed.length > 0 ? run : Promise.race([run, asked]));
      },
    };
    return { deps, started, failed, updated, progress, done: () => run };
  }
  beforeEach(async () => {
    const secrets = new SecretsManagerClient({ endpoint: moto.endpoint, region, credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    await new SecurityHubClient({ endpoint: moto.endpoint, region, credentials: { accessKeyId: 't', secretAccessKey: 't' } })
      .send(new EnableSecurityHubCommand({}))
      .catch(() => undefined);
    await secrets.send(new PutSecretValueCommand({ SecretId: outputs.GitHubSecretArn, SecretString: JSON.stringify({ token: TOKEN }) }));
  });

  async function smoke(
    config: Config,
    runId: string,
    options: { keep?: boolean; deliver?: boolean; stuck?: boolean; timeoutMs?: number } = {},
  ) {
    const { deps, ...played } = stack(config, options);
    const lines: string[] = [];
    // The workflow reads the real clock: the smoke test's starts there and moves only when it waits.
    let clock = Date.now();
    const report: StackSmokeReport = await smokeThroughStack(
      {
        config,
        repository: config.repositories[0]!,
        outputs,
        region,
        keep: options.keep === true,
        timeoutMs: options.timeoutMs ?? 600_000,
        pollMs: 5_000,
      },
      {
        ...deps,
        runId,
        now: () => new Date(clock),
        sleep: async (ms) => {
          await deps.sleep(ms);
          clock += ms;
        },
        say: (line) => lines.push(line),
      },
    );
    await played.done();
    return { report, lines, ...played };
  }

  it('reaches pr_opened with a pull request based on the scratch branch, then retires both branches', async () => {
    const { report, lines, started } = await smoke(configWith('{ default: pull_request }'), 'a1b2c3d4e5f6');
    expect(report, report.reason).toMatchObject({
      passed: true,
      state: 'pr_opened',
      branches: { scratch: 'cloudmend-smoke/a1b2c3d4e5f6' },
    });
    // The execution the batching code started is named after the event EventBridge delivered: the one followed.
    expect(report.execution?.arn).toBe(`${outputs.StateMachineArn.replace(':stateMachine:', ':execution:')}:${started[0]}`);
    expect(report.execution?.consoleUrl).toBe(
      `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${report.execution?.arn}`,
    );
    expect(report.execution?.states).toEqual(expect.arrayContaining(['Normalize', 'Locate', 'OpenPullRequest']));
    expect(lines.join('\n')).toContain('  Locate');
    const pull = github.pulls.find((p) => p.head === report.branches.pullRequest);
    expect(pull).toMatchObject({ base: 'cloudmend-smoke/a1b2c3d4e5f6', state: 'closed' });
    expect(report.pullRequestUrl).toContain(`/pull/${pull!.number}`);
    // Both branches are gone, the default branch untouched.
    expect(github.refs.has('refs/heads/cloudmend-smoke/a1b2c3d4e5f6')).toBe(false);
    expect(github.refs.has(`refs/heads/${report.branches.pullRequest}`)).toBe(false);
    expect(Object.keys(github.filesOf(github.refs.get('refs/heads/main')!))).toEqual(['main.tf']);
    expect((await ledger.get(report.fingerprint!))?.state).toBe('pr_opened');
  });

  it('keeps both branches with --keep: the fix changes only the scratch file', async () => {
    const { report } = await smoke(configWith('{ default: pull_request }'), 'b1b2c3d4e5f6', { keep: true });
    expect(report, report.reason).toMatchObject({ passed: true, kept: true });
    const head = github.refs.get(`refs/heads/${report.branches.pullRequest}`)!;
    const scratch = github.refs.get('refs/heads/cloudmend-smoke/b1b2c3d4e5f6')!;
    const [before, after] = [github.filesOf(scratch), github.filesOf(head)];
    const changed = Object.keys(after).filter((path) => after[path] !== before[path]);
    expect(changed).toEqual(['cloudmend-smoke/b1b2c3d4e5f6.tf']);
    expect(after['cloudmend-smoke/b1b2c3d4e5f6.tf']).toContain('aws_s3_bucket_public_access_block');
    expect(after['main.tf']).toBe(MAIN_TF);
  });

  it('rejects the approval an approval tier asks for, resuming the execution as a rejection in Slack does, and passes', async () => {
    const { report, failed, updated, lines } = await smoke(configWith('{ default: pull_request_with_approval }'), 'c1b2c3d4e5f6');
    expect(report, report.reason).toMatchObject({ passed: true, state: 'approval_requested' });
    expect(failed).toEqual([{ token: expect.any(String) as string, error: 'cloudmend.Rejected' }]);
    // The Slack message the request was posted as shows the outcome, buttons gone, as after a click.
    expect(updated).toEqual([
      {
        channel: 'C0123456789',
        ts: '1765000000.000100',
        approvalId: expect.stringMatching(/^apr_/) as string,
        outcome: { status: 'rejected', by: 'cli:tester', at: expect.any(Date) as Date },
      },
    ]);
    expect(lines.join('\n')).toMatch(/approval apr_\S+ requested, as the policy asks: rejected by the smoke test/);
    expect((await ledger.get(report.fingerprint!))?.state).toBe('rejected');
  });

  it('gives the finding’s verdict when its execution is still running as the wait ends', async () => {
    const { report } = await smoke(configWith('{ default: pull_request }'), 'a2b2c3d4e5f6', { stuck: true, timeoutMs: 60_000 });
    expect(report, report.reason).toMatchObject({ passed: true, state: 'pr_opened' });
    expect(report.reason).toMatch(/\(the execution was still RUNNING when the wait ended\)$/);
  });

  it('runs as cloudmend smoke from the stack’s outputs, with the caller’s credentials: exit 0, the pull request and the execution named', async () => {
    const common = { endpoint: moto.endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    const output = (value: string) => ({ Value: value });
    const template = {
      Resources: { Queue: { Type: 'AWS::SQS::Queue' } },
      Outputs: Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, output(value)])),
    };
    await new CloudFormationClient(common).send(new CreateStackCommand({ StackName: 'Smoke', TemplateBody: JSON.stringify(template) }));
    await new SecurityHubClient(common).send(new EnableSecurityHubCommand({})).catch(() => undefined);
    const configFile = join(scratchDir, 'cloudmend.config.yaml');
    const config = configWith('{ default: pull_request }');
    writeFileSync(configFile, stringify({ version: 1, repositories: config.repositories, policy: { default: 'pull_request' } }));
    const { deps, done } = stack(config);
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: (t: string) => (stdout += t),
      stderr: (t: string) => (stderr += t),
      cwd: scratchDir,
      env: { CLOUDMEND_GITHUB_API_URL: github.url },
    };
    vi.stubEnv('AWS_ENDPOINT_URL', moto.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
    let clock = Date.now();
    try {
      // moto keeps the execution RUNNING (running them breaks its server on the second one): the wait ends at --wait.
      const code = await smokeStack({ stack: 'Smoke', region, config: configFile, wait: '1' }, io, {
        runId: 'a3b2c3d4e5f6',
        now: () => new Date(clock),
        sleep: async (ms) => {
          await deps.sleep(ms);
          await done();
          clock += ms;
        },
      });
      expect({ code, stderr }).toMatchObject({
        code: 0,
        stderr: expect.stringContaining('  ok       stack outputs: stack Smoke in us-east-1') as string,
      });
      expect(stderr).toContain(
        'smoke test a3b2c3d4e5f6: cloudmend-smoke/a3b2c3d4e5f6.tf on branch cloudmend-smoke/a3b2c3d4e5f6 of acme/infra',
      );
      expect(stdout).toMatch(
        /^smoke test a3b2c3d4e5f6 \(not a real finding; the ledger keeps it as [0-9a-f]{8}\): passed\nstopped at pr_opened: .* \(the execution was still RUNNING when the wait ended\)\npull request: \S+\/pull\/\d+\nexecution: https:\/\/us-east-1\.console\.aws\.amazon\.com\/states\/.*:execution:cloudmend-remediate:[0-9a-f-]{36}\ninfra: its branches deleted\n$/,
      );
      expect(github.refs.has('refs/heads/cloudmend-smoke/a3b2c3d4e5f6')).toBe(false);
      expect(stdout + stderr).not.toContain(TOKEN);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('says where it stopped when no execution starts, and leaves no branch behind', async () => {
    const { report } = await smoke(configWith('{ default: pull_request }'), 'd1b2c3d4e5f6', { deliver: false, timeoutMs: 60_000 });
    expect(report, report.reason).toMatchObject({ passed: false, state: 'not_started' });
    expect(report.reason).toContain('no execution of that name started');
    expect(report.reason).toContain('dead-letter queues');
    expect(github.refs.has('refs/heads/cloudmend-smoke/d1b2c3d4e5f6')).toBe(false);
    // What EventBridge delivered is drained so the next case starts clean.
    await motoSqs<Record<string, unknown>>(moto.endpoint, 'PurgeQueue', { QueueUrl: queueUrl });
  });

  it('sends nothing when the policy would open no pull request for the smoke finding', async () => {
    const { report } = await smoke(configWith('{ default: recommend }'), 'e1b2c3d4e5f6');
    expect(report, report.reason).toMatchObject({ passed: false, state: 'not_sent' });
    expect(report.reason).toBe(
      'the policy gives S3.8 the tier recommend, which opens no pull request: the smoke test needs pull_request or pull_request_with_approval for it',
    );
    expect(github.refs.has('refs/heads/cloudmend-smoke/e1b2c3d4e5f6')).toBe(false);
  });
});

describe.skipIf(!available)('the smoke test’s EventBridge and Step Functions adapter on moto_server', () => {
  let moto: Moto;
  let pipeline: ReturnType<typeof awsSmokePipeline>;
  let sfn: SFNClient;

  beforeAll(async () => {
    moto = await startMoto();
    const common = { endpoint: moto.endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    sfn = new SFNClient(common);
    pipeline = awsSmokePipeline({ events: new EventBridgeClient(common), sfn });
    // Without this moto keeps every execution RUNNING.
    await fetch(`${moto.endpoint}/moto-api/config`, {
      method: 'POST',
      body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }),
    });
  }, 30_000);
  afterAll(async () => moto?.stop());

  it('follows an execution state by state, leaving out the Choice states', async () => {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'remediate',
        roleArn: `arn:aws:iam::${ACCOUNT}:role/cloudmend`,
        definition: JSON.stringify({
          StartAt: 'Normalize',
          States: {
            Normalize: { Type: 'Pass', Next: 'Located?' },
            'Located?': { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: false, Next: 'Locate' }], Default: 'Record' },
            Locate: { Type: 'Pass', Next: 'Record' },
            Record: { Type: 'Pass', End: true },
          },
        }),
      }),
    );
    const arn = `${stateMachineArn!.replace(':stateMachine:', ':execution:')}:some-event-id`;
    expect(await pipeline.execution(arn)).toBeUndefined();
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'some-event-id', input: '{}' }));
    // moto runs the execution in the background.
    await vi.waitFor(async () => expect((await pipeline.execution(arn))?.status).toBe('SUCCEEDED'), { timeout: 10_000, interval: 50 });
    expect(await pipeline.execution(arn)).toEqual({ status: 'SUCCEEDED', states: ['Normalize', 'Locate', 'Record'] });
  });

  it('says why a failed execution failed (the SDK boundary: moto cannot fail one)', async () => {
    const mocked = mockClient(SFNClient);
    try {
      mocked.on(DescribeExecutionCommand).resolves({ status: 'FAILED', error: 'States.Timeout', cause: 'Locate timed out' });
      mocked.on(GetExecutionHistoryCommand).resolves({
        events: [{ type: 'TaskStateEntered', id: 2, timestamp: new Date(), stateEnteredEventDetails: { name: 'Locate' } }],
      });
      expect(
        await awsSmokePipeline({ events: new EventBridgeClient({ region }), sfn: new SFNClient({ region }) }).execution('arn'),
      ).toEqual({
        status: 'FAILED',
        states: ['Locate'],
        error: { Error: 'States.Timeout', Cause: 'Locate timed out' },
      });
    } finally {
      mocked.restore();
    }
  });

  it('puts the event on the bus and answers its id; a bus that is not there is named', async () => {
    const { event } = smokeFinding('f1b2c3d4e5f6', { owns: { accounts: [ACCOUNT] } }, new Date());
    await new EventBridgeClient({ endpoint: moto.endpoint, region, credentials: { accessKeyId: 't', secretAccessKey: 't' } }).send(
      new CreateEventBusCommand({ Name: 'there' }),
    );
    expect(await pipeline.putEvent('there', event)).toMatch(/^[0-9a-f-]{36}$/);
    await expect(pipeline.putEvent('not-there', event)).rejects.toThrow(
      'EventBridge did not take the smoke finding on bus not-there: ResourceNotFoundException: Event bus not-there does not exist.',
    );
  });
});
