/** The batching Lambda against mocked Step Functions and S3: SQS messages of imported events in, one execution per batch out. */
import { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
// The SDK's stream mixin, as test/aws/s3-artifacts.test.ts uses it: a GetObject body as the SDK returns it.
import { sdkStreamMixin } from '@smithy/core/serde';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand, type StartExecutionCommandInput } from '@aws-sdk/client-sfn';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { batchFindings, executionName } from '../../src/aws/batch-findings.js';
import { BUCKET_PREFIX } from '../../src/aws/environment.js';
import { s3Artifacts } from '../../src/aws/s3-artifacts.js';
import { BATCH_DETAIL_TYPE, type BatchReferenceDetail } from '../../src/triggers/batch-event.js';
import { EXECUTION_INPUT_BUDGET_BYTES } from '../../src/state-size.js';
import { RejectedEventError, TransientError } from '../../src/workflow/errors.js';
import { storedBatchEvents } from '../../src/workflow/stored.js';
import { importedEvent } from '../support/events.js';
import { fullSizeFinding } from '../support/full-size-findings.js';
import { ACCOUNT, CONFIG, NOW, REGION, numberedFinding } from './backfill-fixtures.js';

const sfn = mockClient(SFNClient);
const s3 = mockClient(S3Client);
const STATE_MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:cloudmend-remediate`;
const BUCKET = 'cloudmend-artifacts';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const deps = {
  config: CONFIG,
  sfn: new SFNClient({ region: REGION, credentials }),
  artifacts: s3Artifacts({ client: new S3Client({ region: REGION, credentials }), bucket: BUCKET }),
  stateMachineArn: STATE_MACHINE,
  now: () => NOW,
};

/** What the batching stage wrote to the bucket, by key. */
let stored = new Map<string, string>();

type Batch = { 'detail-type': string; detail: BatchReferenceDetail };
type Inner = { id: string; detail: { findings: { Id: string }[] } };

/** A started execution's events: a batch's read back from the bucket by its key, any other event is its own. */
function eventsOf(input: string): Inner[] {
  const event = JSON.parse(input) as Batch | Inner;
  if (!('detail-type' in event) || event['detail-type'] !== BATCH_DETAIL_TYPE) return [event as Inner];
  return JSON.parse(stored.get(`${BUCKET}/${BUCKET_PREFIX.artifacts}${event.detail.eventsKey}`)!) as Inner[];
}

const sqsEvent = (bodies: string[]): SQSEvent => ({ Records: bodies.map((body, i) => ({ messageId: `m${i}`, body }) as SQSRecord) });

function remembering(): Map<string, StartExecutionCommandInput> {
  const started = new Map<string, StartExecutionCommandInput>();
  sfn.on(StartExecutionCommand).callsFake((input: StartExecutionCommandInput) => {
    if (started.has(input.name!)) throw new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} });
    started.set(input.name!, input);
    return { executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:cloudmend-remediate:${input.name}`, startDate: NOW };
  });
  return started;
}

beforeEach(() => {
  sfn.reset();
  s3.reset();
  stored = new Map();
  s3.on(PutObjectCommand).callsFake((input: { Bucket: string; Key: string; Body: string }) => {
    stored.set(`${input.Bucket}/${input.Key}`, input.Body);
    return {};
  });
});
afterAll(() => {
  sfn.restore();
  s3.restore();
});

describe('batchFindings', () => {
  it('starts one execution for a burst of one control, whatever the redeliveries, and skips unreadable messages', async () => {
    const started = remembering();
    const events = [0, 1, 2, 3].map((e) =>
      JSON.stringify(
        importedEvent(
          Array.from({ length: 25 }, (_, k) => numberedFinding(e * 25 + k)),
          { id: `evt-${e}` },
        ),
      ),
    );
    const summary = await batchFindings(sqsEvent([...events, ...events, ...events, 'not json']), deps);
    expect(summary).toMatchObject({
      events: 12,
      groups: 1,
      batches: 1,
      passthrough: 0,
      duplicates: 200,
      started: 1,
      alreadyStarted: 0,
      unreadable: 1,
    });
    const [input] = [...started.values()];
    const batch = JSON.parse(input!.input!) as Batch;
    expect(batch['detail-type']).toBe(BATCH_DETAIL_TYPE);
    // The execution carries the key of its events, stored once under the claim-check prefix by their content hash.
    expect(batch.detail.eventsKey).toMatch(/^claim-check\/batches\/[0-9a-f]{64}\.json$/);
    expect([...stored.keys()]).toEqual([`${BUCKET}/${BUCKET_PREFIX.artifacts}${batch.detail.eventsKey}`]);
    expect(batch.detail.eventCount).toBe(4);
    expect(eventsOf(input!.input!).flatMap((e) => e.detail.findings)).toHaveLength(100);
  });

  it('never starts a batch twice when SQS delivers the same messages again', async () => {
    const started = remembering();
    const body = JSON.stringify(importedEvent([numberedFinding(1), numberedFinding(2)], { id: 'evt-x' }));
    await batchFindings(sqsEvent([body]), deps);
    const again = await batchFindings(sqsEvent([body]), deps);
    expect(again).toMatchObject({ started: 0, alreadyStarted: 1 });
    expect(started.size).toBe(1);
  });

  it('names executions within Step Functions’ rules', () => {
    expect(executionName({ id: 'batch-0123456789abcdef' }, 0)).toBe('batch-0123456789abcdef');
    expect(executionName({ id: `a b/c:${'x'.repeat(100)}` }, 3)).toMatch(/^a-b-c-x+$/);
    expect(executionName({ id: `a b/c:${'x'.repeat(100)}` }, 3)).toHaveLength(80);
    expect(executionName({}, 3)).toBe('event-3');
  });
});

describe('batchFindings at full size', () => {
  const fullEvents = (count: number): string[] =>
    Array.from({ length: count }, (_, i) => JSON.stringify(importedEvent([fullSizeFinding(i, `acme-${i}`)], { id: `evt-${i}` })));

  it('cuts batches by bytes as well as count: every stored batch within the budget, every execution input small, every finding in one', async () => {
    const started = remembering();
    const summary = await batchFindings(sqsEvent(fullEvents(100)), deps);
    expect(summary.groups).toBe(1);
    expect(summary.batches).toBeGreaterThan(1);
    const inputs = [...started.values()].map((s) => s.input!);
    for (const input of inputs) expect(Buffer.byteLength(input)).toBeLessThan(1_000);
    for (const body of stored.values()) expect(Buffer.byteLength(body)).toBeLessThanOrEqual(EXECUTION_INPUT_BUDGET_BYTES);
    const findings = inputs.flatMap((i) => eventsOf(i).flatMap((e) => e.detail.findings));
    expect(new Set(findings.map((f) => f.Id)).size).toBe(100);
  });

  it('runs a finding too large to share a batch on its own event', async () => {
    const started = remembering();
    const huge = fullSizeFinding(999, 'acme-huge');
    (huge.Resources as { Tags: Record<string, string> }[])[0]!.Tags = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`t${i}`, 'x'.repeat(4_000)]),
    );
    const summary = await batchFindings(sqsEvent([...fullEvents(10), JSON.stringify(importedEvent([huge], { id: 'evt-huge' }))]), deps);
    expect(summary).toMatchObject({ groups: 1, batches: 1, passthrough: 1, started: 2 });
    expect([...started.values()].map((s) => JSON.parse(s.input!) as { id: string }).map((e) => e.id)).toContain('evt-huge');
  });

  it('returns only the messages of an execution that could not start, and starts the others', async () => {
    const started = new Map<string, StartExecutionCommandInput>();
    let calls = 0;
    sfn.on(StartExecutionCommand).callsFake((input: StartExecutionCommandInput) => {
      calls += 1;
      // The first execution fails: a throttled StartExecution.
      if (calls === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      started.set(input.name!, input);
      return { executionArn: `arn:${input.name}`, startDate: NOW };
    });
    const bodies = fullEvents(100);
    const summary = await batchFindings(sqsEvent(bodies), deps);
    expect(summary.failed).toHaveLength(1);
    expect(summary.started).toBe(summary.batches - 1);
    expect(summary.batchItemFailures.length).toBeGreaterThan(0);
    // The messages returned are exactly those the failed batch held.
    const startedIds = new Set([...started.values()].flatMap((s) => eventsOf(s.input!).map((e) => e.id)));
    const retried = summary.batchItemFailures.map((f) => `evt-${f.itemIdentifier.slice(1)}`);
    expect(retried.some((id) => startedIds.has(id))).toBe(false);
    expect(retried.length + startedIds.size).toBe(100);
  });
});

describe('Normalize reading a batch back from the bucket', () => {
  const body = (text: string) => sdkStreamMixin(Readable.from([Buffer.from(text, 'utf8')]));

  it('reads what the batching stage stored; a missing object is a rejected batch, a throttled read is retried', async () => {
    const started = remembering();
    await batchFindings(sqsEvent([JSON.stringify(importedEvent([numberedFinding(1)], { id: 'evt-1' }))]), deps);
    const { detail } = JSON.parse([...started.values()][0]!.input!) as Batch;
    s3.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
      const text = stored.get(`${input.Bucket}/${input.Key}`);
      if (text === undefined) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
      return { Body: body(text) };
    });
    expect(await storedBatchEvents(deps.artifacts, detail.batchId, detail.eventsKey)).toEqual([expect.objectContaining({ id: 'evt-1' })]);
    stored.clear();
    const missing = storedBatchEvents(deps.artifacts, detail.batchId, detail.eventsKey);
    await expect(missing).rejects.toThrow(RejectedEventError);
    await expect(missing).rejects.toThrow(/does not exist in s3:\/\/cloudmend-artifacts\/artifacts\/.*its findings were not worked on/);
    s3.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name: 'SlowDown',
        $fault: 'server',
        message: 'Please reduce your request rate.',
        $metadata: { httpStatusCode: 503 },
      }),
    );
    await expect(storedBatchEvents(deps.artifacts, detail.batchId, detail.eventsKey)).rejects.toThrow(TransientError);
  });
});
