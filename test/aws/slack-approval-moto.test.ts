/**
 * The approval callback end to end against moto_server: a real Step Functions execution (moto's
 * interpreter) waits on `.waitForTaskToken` in the RequestApproval state of the shipped ASL, the
 * deployed Lambda handlers (Slack interactions, approval expiry) run with the DynamoDB ledger,
 * the Slack secret in Secrets Manager and Step Functions callbacks, all on moto; Slack's Web API is
 * a local recorder. Skipped with the reason when moto_server is not installed.
 *
 * Lambda cannot run in moto without Docker, so the waiting state sends its task token to an SQS
 * queue instead of invoking RequestApproval; the test reads it there and runs the RequestApproval
 * task with it, as the function would. Everything after that is the deployed code path.
 * moto's interpreter runs one callback execution per server, so each scenario has its own.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ENV } from '../../src/aws/environment.js';
import { s3Artifacts } from '../../src/aws/s3-artifacts.js';
import { dynamoDbLedger } from '../../src/ledger/dynamodb.js';
import { clickPayload, formBody, sign } from '../approvals/fixtures.js';
import { motoInstalled, motoSqs, startMoto, type Moto } from '../ledger/dynamodb-moto.js';
import { openApprovalWorld, type ApprovalWorld } from './approval-workflow.js';
import { CONFIG } from './backfill-fixtures.js';

const available = motoInstalled();
if (!available)
  console.log('skipping the Slack approval callback tests against Step Functions: moto_server not found (pip install "moto[server]")');

const SIGNING_SECRET = 'moto-signing-secret-0123456789abcdef';
const APPROVER = 'U0APPROVER';
const CHANNEL = 'C0APPROVALS';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const REGION = 'us-east-1';
const ASL = JSON.parse(readFileSync(join(import.meta.dirname, '../../statemachines/remediate.asl.json'), 'utf8')) as {
  States: Record<string, unknown>;
};

/** A state of the remediate definition by name, wherever it is nested (Map item processors). */
function stateOf(states: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  for (const [key, value] of Object.entries(states)) {
    const state = value as Record<string, unknown> & { ItemProcessor?: { States: Record<string, unknown> } };
    if (key === name) return state;
    const inner = state.ItemProcessor && stateOf(state.ItemProcessor.States, name);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * The shipped RequestApproval state (its catches, result path, timeout) with the token sent to
 * `queueUrl`; what follows it becomes Pass states that show where the execution went.
 */
function approvalMachine(queueUrl: string): string {
  const request = stateOf(ASL.States, 'RequestApproval');
  if (!request) throw new Error('remediate.asl.json has no RequestApproval state');
  // Its Retry names Lambda errors only; an SQS send has nothing to retry here.
  const rest = Object.fromEntries(Object.entries(request).filter(([key]) => key !== 'Retry'));
  const Parameters = { QueueUrl: queueUrl, MessageBody: { 'input.$': '$', 'taskToken.$': '$$.Task.Token' } };
  return JSON.stringify({
    StartAt: 'RequestApproval',
    States: {
      RequestApproval: { ...rest, Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters },
      OpenPullRequest: { Type: 'Pass', Result: 'pull request', ResultPath: '$.next', End: true },
      Record: { Type: 'Pass', Result: 'record', ResultPath: '$.next', End: true },
      RecordFailure: { Type: 'Fail', Error: 'cloudmend.TestFailure' },
    },
  });
}

/** Slack's Web API, recorded: every method answers ok. */
async function fakeSlack(): Promise<{ url: string; calls: { method: string; body: string }[]; close(): Promise<void> }> {
  const calls: { method: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      calls.push({ method: (req.url ?? '').replace(/^\/api\//, ''), body: decodeURIComponent(body) });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, channel: CHANNEL, ts: '1795000000.000100' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/api/`, calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const lambdaContext = (name: string): Context =>
  ({
    functionName: `cloudmend-${name}`,
    awsRequestId: `req-${name}`,
    invokedFunctionArn: `arn:aws:lambda:${REGION}:111122223333:function:cloudmend-${name}`,
    getRemainingTimeInMillis: () => 30_000,
  }) as unknown as Context;

/** A Function URL request as Slack sends it (base64 form body), signed now with `secret`. */
function urlEvent(payload: unknown, secret = SIGNING_SECRET, signedAt = new Date()): LambdaFunctionURLEvent {
  const body = formBody(payload);
  const timestamp = String(Math.floor(signedAt.getTime() / 1000));
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': sign(body, timestamp, secret),
    },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  } as unknown as LambdaFunctionURLEvent;
}

interface Scenario {
  readonly moto: Moto;
  readonly sfn: SFNClient;
  readonly slack: Awaited<ReturnType<typeof fakeSlack>>;
  readonly world: ApprovalWorld;
  /** Starts an execution that waits for approval of finding `i`, requested at `requestedAt`. */
  waitingExecution(i: number, requestedAt: Date): Promise<{ executionArn: string; approvalId: string; fingerprint: string }>;
  click(payload: unknown, secret?: string): Promise<{ statusCode?: number; body?: string }>;
  describe(executionArn: string): Promise<DescribeExecutionCommandOutput>;
  finished(executionArn: string): Promise<DescribeExecutionCommandOutput>;
}

describe.skipIf(!available)('Slack approvals resume a waiting Step Functions execution (moto_server)', () => {
  const saved = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), 'cloudmend-slack-moto-'));
  let scenario: Scenario | undefined;

  // DynamoDB and Secrets Manager live on one server for the whole file (Powertools keeps its
  // Secrets Manager client across module resets); Step Functions and SQS get one per scenario.
  let aws: Moto;
  let secretArn: string | undefined;
  beforeAll(async () => {
    aws = await startMoto();
    const secret = await new SecretsManagerClient({ endpoint: aws.endpoint, region: REGION, credentials: CREDENTIALS }).send(
      new CreateSecretCommand({
        Name: 'cloudmend/slack',
        SecretString: JSON.stringify({ botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET }),
      }),
    );
    secretArn = secret.ARN;
  }, 60_000);

  beforeEach(async () => {
    const moto = await startMoto();
    const config = await fetch(`${moto.endpoint}/moto-api/config`, {
      method: 'POST',
      body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }),
    });
    expect(config.status).toBe(201);
    const slack = await fakeSlack();
    const clients = { endpoint: moto.endpoint, region: REGION, credentials: CREDENTIALS };
    const table = await aws.createTable();
    const configFile = join(dir, `config-${table}.json`);
    writeFileSync(
      configFile,
      JSON.stringify({
        ...CONFIG,
        approvals: { ...CONFIG.approvals, timeout: 3600, slack: { channel: CHANNEL }, approvers: { users: [APPROVER], groups: [] } },
      }),
    );
    Object.assign(process.env, {
      [ENV.configFile]: configFile,
      [ENV.ledgerTable]: table,
      [ENV.slackSecretArn]: secretArn,
      [ENV.slackApiUrl]: slack.url,
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_ENDPOINT_URL_SFN: moto.endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    });
    // The handlers memoise clients per container: a fresh module graph is a fresh container.
    vi.resetModules();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const sfn = new SFNClient(clients);
    // The Slack endpoint reads the approval's patch (the choices it accepts) from the artifacts bucket.
    const s3 = new S3Client({ ...clients, endpoint: aws.endpoint });
    await s3.send(new CreateBucketCommand({ Bucket: table }));
    process.env[ENV.artifactsBucket] = table;
    const world = openApprovalWorld({
      ledger: dynamoDbLedger({ tableName: table, client: aws.client }),
      artifacts: s3Artifacts({ client: s3, bucket: table }),
    });
    const { QueueUrl: queueUrl } = await motoSqs<{ QueueUrl: string }>(moto.endpoint, 'CreateQueue', { QueueName: 'approvals' });
    const describeExecution = (executionArn: string) => sfn.send(new DescribeExecutionCommand({ executionArn }));

    scenario = {
      moto,
      sfn,
      slack,
      world,
      async waitingExecution(i, requestedAt) {
        const machine = await sfn.send(
          new CreateStateMachineCommand({
            name: `approval-${i}`,
            definition: approvalMachine(queueUrl),
            roleArn: 'arn:aws:iam::123456789012:role/cloudmend',
          }),
        );
        const { executionArn } = await sfn.send(
          new StartExecutionCommand({
            stateMachineArn: machine.stateMachineArn,
            name: `finding-${i}`,
            input: JSON.stringify({ finding: i }),
          }),
        );
        let token: string | undefined;
        for (let tries = 0; token === undefined && tries < 50; tries++) {
          const { Messages } = await motoSqs<{ Messages?: { Body: string }[] }>(moto.endpoint, 'ReceiveMessage', {
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 1,
          });
          token = Messages?.[0] ? (JSON.parse(Messages[0].Body) as { taskToken: string }).taskToken : undefined;
          if (token === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        if (token === undefined) throw new Error('the execution never sent its task token');
        const made = await world.awaitingApproval(i, requestedAt, { taskToken: token });
        return { executionArn: executionArn!, approvalId: made.approvalId, fingerprint: made.fingerprint };
      },
      async click(payload, secret) {
        const { handler } = await import('../../functions/slack-interactions.js');
        return (await handler(urlEvent(payload, secret), lambdaContext('SlackInteractions'))) as { statusCode?: number; body?: string };
      },
      describe: describeExecution,
      async finished(executionArn) {
        for (let tries = 0; tries < 100; tries++) {
          const execution = await describeExecution(executionArn);
          if (execution.status !== 'RUNNING') return execution;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error(`${executionArn} is still running`);
      },
    };
  }, 60_000);

  afterEach(async () => {
    vi.restoreAllMocks();
    process.env = { ...saved };
    await scenario?.world.cleanup();
    await scenario?.slack.close();
    await scenario?.moto.stop();
    scenario = undefined;
  });

  afterAll(async () => {
    await aws?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an approver’s signed click completes the execution with the approver recorded; forged and unauthorised clicks change nothing', async () => {
    const s = scenario!;
    const { executionArn, approvalId, fingerprint } = await s.waitingExecution(1, new Date());
    const approve = (user: string) => clickPayload({ user, value: approvalId, actionId: 'cloudmend_approve' });

    expect((await s.click(approve(APPROVER), 'not-the-signing-secret-0123456789')).statusCode).toBe(401);
    const refused = await s.click(approve('U0MALLORY'));
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toMatch(/not a cloudmend approver/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await s.describe(executionArn)).status).toBe('RUNNING');
    expect(await s.world.ledger.getApproval(approvalId)).toMatchObject({ status: 'pending' });

    const approved = await s.click(approve(APPROVER));
    expect(approved.statusCode).toBe(200);
    expect(approved.body).toMatch(/Approved/);
    const done = await s.finished(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toMatchObject({
      approval: { approvalId, approved: true, by: `slack:${APPROVER}` },
      next: 'pull request',
    });
    expect(await s.world.ledger.getApproval(approvalId)).toMatchObject({ status: 'approved', decidedBy: `slack:${APPROVER}` });
    expect((await s.world.ledger.get(fingerprint))?.state).toBe('approved');
    expect(s.slack.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['chat.postEphemeral', 'chat.update']));
    expect(s.slack.calls.find((c) => c.method === 'chat.update')?.body).toContain(APPROVER);

    // A replay of the same click (re-signed, inside the window) is polite and changes nothing.
    const replay = await s.click(approve(APPROVER));
    expect(replay.statusCode).toBe(200);
    expect(replay.body).toMatch(/already approved/);
    expect((await s.describe(executionArn)).output).toBe(done.output);
  }, 60_000);

  it('an approval nobody decides in time ends the execution as expired, and a late click changes nothing', async () => {
    const s = scenario!;
    // Requested two hours ago under a one-hour timeout: already past its deadline.
    const { executionArn, approvalId } = await s.waitingExecution(2, new Date(Date.now() - 2 * 3600_000));
    expect((await s.describe(executionArn)).status).toBe('RUNNING');

    const { handler } = await import('../../functions/approval-expiry.js');
    expect(await handler({}, lambdaContext('ApprovalExpiry'))).toMatchObject({ expired: 1 });
    const done = await s.finished(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toMatchObject({ approvalError: { Error: 'cloudmend.Expired' }, next: 'record' });
    expect(await s.world.ledger.getApproval(approvalId)).toMatchObject({ status: 'expired' });

    const late = await s.click(clickPayload({ user: APPROVER, value: approvalId }));
    expect(late.statusCode).toBe(200);
    expect(late.body).toMatch(/expired/);
    expect((await s.describe(executionArn)).output).toBe(done.output);
  }, 60_000);
});
