/**
 * The Lambda entries as deployed code runs them: bundled config file, environment set by the stack,
 * the DynamoDB ledger (moto_server), middy and Powertools around the task. Skipped with the reason
 * when moto_server is not installed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENV } from '../../src/aws/environment.js';
import { dynamoDbLedger } from '../../src/ledger/dynamodb.js';
import type { ItemFinding, WorkItem } from '../../src/workflow/types.js';
import { exampleConfig } from '../lib/fixture.js';
import { motoInstalled, startMoto, type Moto } from '../ledger/dynamodb-moto.js';
import { asffFinding, importedEvent } from '../support/events.js';

const available = motoInstalled();
if (!available) console.log('skipping the Lambda handler tests against DynamoDB: moto_server not found (pip install "moto[server]")');

const context = (name: string): Context =>
  ({
    functionName: `cloudmend-${name}`,
    awsRequestId: `req-${name}`,
    invokedFunctionArn: `arn:aws:lambda:us-east-1:111122223333:function:cloudmend-${name}`,
    getRemainingTimeInMillis: () => 30_000,
  }) as unknown as Context;

describe.skipIf(!available)('task Lambda handlers against DynamoDB (moto_server)', () => {
  let moto: Moto;
  let table: string;
  const dir = mkdtempSync(join(tmpdir(), 'cloudmend-handlers-'));
  const saved = { ...process.env };

  beforeAll(async () => {
    moto = await startMoto();
    table = await moto.createTable();
    const configFile = join(dir, 'cloudmend.config.json');
    writeFileSync(configFile, JSON.stringify(exampleConfig()));
    Object.assign(process.env, {
      [ENV.configFile]: configFile,
      [ENV.ledgerTable]: table,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
    // Powertools writes JSON logs and EMF metrics to stdout; they are checked elsewhere.
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  }, 60_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    process.env = saved;
    await moto?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Normalize then Claim claim a Security Hub finding in the ledger table once; a redelivery is a duplicate', async () => {
    const { handler: normalize } = await import('../../functions/normalize.js');
    const { handler: claim } = await import('../../functions/claim.js');
    const normalized = await normalize(importedEvent([asffFinding()]), context('Normalize'));
    expect(normalized.items).toHaveLength(1);
    const item = normalized.items[0] as WorkItem;
    const [one] = item.findings as readonly ItemFinding[];
    expect(one?.decision).toMatchObject({ decision: 'act', repository: 'infra-live' });

    expect(await claim(item, context('Claim'))).toMatchObject({ status: 'claimed' });
    expect(await claim(item, context('Claim'))).toMatchObject({ status: 'duplicate' });

    const ledger = dynamoDbLedger({ tableName: table, client: moto.client });
    expect(await ledger.get(one!.finding.fingerprint)).toMatchObject({ state: 'claimed' });
  });

  it('Sweep records a finding stuck in the table as interrupted, querying the state index by update time, never scanning', async () => {
    const { handler: sweep } = await import('../../functions/sweep.js');
    const ledger = dynamoDbLedger({ tableName: table, client: moto.client });
    // Claimed 7 hours ago and never moved since (the config's recovery.stuckAfter is 6h); one claimed now.
    await ledger.claim({
      fingerprint: 'stuck-in-aws',
      summary: { source: 'securityhub' },
      actor: 'aws:exec-1',
      at: new Date(Date.now() - 7 * 3600_000),
    });
    await ledger.claim({ fingerprint: 'working-in-aws', summary: { source: 'securityhub' }, actor: 'aws:exec-2', at: new Date() });
    const sent = vi.spyOn(DynamoDBDocumentClient.prototype, 'send');
    expect(await sweep({}, context('Sweep'))).toEqual({ interrupted: 1, failed: 0 });
    const commands = sent.mock.calls.map(([command]) => command as { constructor: { name: string }; input: Record<string, unknown> });
    sent.mockRestore();
    expect(commands.map((c) => c.constructor.name)).not.toContain('ScanCommand');
    const queries = commands.filter((c) => c.constructor.name === 'QueryCommand').map((c) => c.input);
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) expect(q).toMatchObject({ IndexName: 'byState', KeyConditionExpression: '#pk = :pk AND #sk < :before' });
    expect(await ledger.get('stuck-in-aws')).toMatchObject({
      state: 'failed',
      updatedBy: 'cloudmend:sweep',
      reason: expect.stringMatching(/^interrupted: nothing moved it from claimed/) as unknown,
    });
    expect(await ledger.get('working-in-aws')).toMatchObject({ state: 'claimed' });
  });

  it('refuses a port its task does not declare, naming the task table', async () => {
    const { awsTaskContext } = await import('../../src/aws/context.js');
    const { ledger } = await import('../../src/aws/ports/ledger.js');
    const ctx = await awsTaskContext({ ledger })();
    await expect(ctx.pullRequests.open({} as never)).rejects.toThrow(
      /not deployed with the pullRequests port: add it to the task's ports in src\/workflow\/tasks\.ts/,
    );
  });
});
