/** The batching Lambda against mocked Step Functions: SQS messages of imported events in, one execution per batch out. */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand, type StartExecutionCommandInput } from '@aws-sdk/client-sfn';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { batchFindings, executionName } from '../../src/aws/batch-findings.js';
import { BATCH_DETAIL_TYPE } from '../../src/triggers/batch-event.js';
import { importedEvent } from '../support/events.js';
import { ACCOUNT, CONFIG, NOW, REGION, numberedFinding } from './backfill-fixtures.js';

const sfn = mockClient(SFNClient);
const STATE_MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:cloudmend-remediate`;
const deps = { config: CONFIG, sfn: new SFNClient({ region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }), stateMachineArn: STATE_MACHINE, now: () => NOW };

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

beforeEach(() => sfn.reset());
afterAll(() => sfn.restore());

describe('batchFindings', () => {
  it('starts one execution for a burst of one control, whatever the redeliveries, and skips unreadable messages', async () => {
    const started = remembering();
    const events = [0, 1, 2, 3].map((e) => JSON.stringify(importedEvent(Array.from({ length: 25 }, (_, k) => numberedFinding(e * 25 + k)), { id: `evt-${e}` })));
    const summary = await batchFindings(sqsEvent([...events, ...events, ...events, 'not json']), deps);
    expect(summary).toMatchObject({ events: 12, groups: 1, batches: 1, passthrough: 0, duplicates: 200, started: 1, alreadyStarted: 0, unreadable: 1 });
    const [input] = [...started.values()];
    const batch = JSON.parse(input!.input!) as { 'detail-type': string; detail: { events: { detail: { findings: unknown[] } }[] } };
    expect(batch['detail-type']).toBe(BATCH_DETAIL_TYPE);
    expect(batch.detail.events.flatMap((e) => e.detail.findings)).toHaveLength(100);
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
