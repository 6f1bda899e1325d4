/**
 * A `moto_server` (Python mock of AWS) for the DynamoDB ledger tests: one per test file, on a free
 * port, and a fresh table per ledger created from `LEDGER_TABLE_SCHEMA`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { LEDGER_TABLE_SCHEMA, dynamoDbLedger } from '../../src/ledger/dynamodb.js';
import type { Ledger } from '../../src/ledger/port.js';
import type { OpenLedger } from './ledger-helpers.js';

/** True when an executable `moto_server` is on the PATH. */
export function motoInstalled(): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, 'moto_server'), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface Moto {
  /** `http://127.0.0.1:<port>`: for `AWS_ENDPOINT_URL` when code under test builds its own clients. */
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** Create a table laid out as `LEDGER_TABLE_SCHEMA`, with TTL on; returns its random name. */
  createTable(): Promise<string>;
  deleteTable(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** The `CreateTable` request for `LEDGER_TABLE_SCHEMA`, on-demand billing as the stack uses. */
export function createTableInput(TableName: string): CreateTableCommandInput {
  const { partitionKey, sortKey, globalSecondaryIndexes } = LEDGER_TABLE_SCHEMA;
  const keys = [partitionKey, sortKey, ...globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  return {
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
    KeySchema: [
      { AttributeName: partitionKey.name, KeyType: 'HASH' },
      { AttributeName: sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projectionType },
    })),
  };
}

/** Start `moto_server` on a free port and wait until it answers (at most `timeoutMs`). */
export async function startMoto(timeoutMs = 20_000): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // Its own process group, so `stop` ends the server and anything it forked, and nothing else.
  // MOTO_PORT: the Step Functions interpreter calls other services on the server's own port.
  const server: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
    detached: true,
    env: { ...process.env, MOTO_PORT: String(port) },
  });
  let exited: string | undefined;
  server.once('exit', (code, signal) => (exited = `moto_server exited (${signal ?? code})`));
  server.once('error', (error) => (exited = `moto_server failed to start: ${error.message}`));
  const stop = async (): Promise<void> => {
    if (exited !== undefined || server.pid === undefined) return;
    const gone = new Promise((resolve) => server.once('exit', resolve));
    process.kill(-server.pid, 'SIGTERM');
    await gone;
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== undefined) throw new Error(exited);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  return {
    endpoint,
    client,
    async createTable() {
      const name = `ledger-${randomUUID()}`;
      await client.send(new CreateTableCommand(createTableInput(name)));
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { AttributeName: LEDGER_TABLE_SCHEMA.timeToLiveAttribute, Enabled: true },
        }),
      );
      return name;
    },
    async deleteTable(name) {
      await client.send(new DeleteTableCommand({ TableName: name }));
    },
    async stop() {
      client.destroy();
      await stop();
    },
  };
}

const METHODS = [
  'claim',
  'recordSkip',
  'transition',
  'retry',
  'get',
  'list',
  'putApproval',
  'getApproval',
  'decideApproval',
  'reassignApproval',
  'listApprovals',
  'putPullRequest',
  'getPullRequest',
  'pullRequestsFor',
  'suppress',
  'activeSuppression',
  'recordSmokeRun',
  'smokeRun',
  'openChangeFor',
  'recordChange',
  'closeChange',
  'appendAudit',
  'auditTrail',
] as const satisfies readonly Exclude<keyof Ledger, 'close'>[];

/** Fails to compile when the port gains a method `METHODS` does not forward. */
const forwardsEveryMethod: Exclude<keyof Ledger, 'close' | (typeof METHODS)[number]> extends never ? true : never = true;
void forwardsEveryMethod;

/**
 * Opens a DynamoDB ledger on a fresh table of `moto`. The table is created on first use: the
 * contract suite opens a ledger for each of its sections before every test and uses one of them.
 */
export function openOnMoto(moto: () => Moto): OpenLedger {
  return () => {
    let opened: Promise<{ ledger: Ledger; tableName: string }> | undefined;
    const open = () =>
      (opened ??= moto()
        .createTable()
        .then((tableName) => ({ tableName, ledger: dynamoDbLedger({ tableName, client: moto().client }) })));
    const forward =
      (method: (typeof METHODS)[number]) =>
      async (...args: unknown[]): Promise<unknown> => {
        const { ledger } = await open();
        return (ledger[method] as (...a: unknown[]) => Promise<unknown>).apply(ledger, args);
      };
    const close = async (): Promise<void> => {
      if (opened !== undefined) await (await opened).ledger.close();
    };
    const ledger = { ...Object.fromEntries(METHODS.map((m) => [m, forward(m)])), close } as unknown as Ledger;
    const cleanup = async (): Promise<void> => {
      if (opened === undefined) return;
      const { tableName } = await opened;
      await close();
      await moto().deleteTable(tableName);
    };
    return Promise.resolve({ ledger, cleanup });
  };
}

/** `AmazonSQS.<target>` over moto's JSON protocol (the project ships no SQS client; the tests need only this). */
export async function motoSqs<T>(endpoint: string, target: string, body: unknown): Promise<T> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${target}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20261121/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`SQS ${target}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
