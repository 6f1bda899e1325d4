import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { observability, taskHandler } from '../../src/workflow/lambda.js';
import type { TaskContext } from '../../src/workflow/context.js';
import { normalize } from '../../src/workflow/tasks/normalize.js';
import { record } from '../../src/workflow/tasks/record.js';
import { asffFinding, importedEvent } from '../support/events.js';

const lambdaContext = {
  functionName: 'cloudmend-Normalize',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:cloudmend-Normalize',
  functionVersion: '$LATEST',
  memoryLimitInMB: '512',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

afterEach(() => vi.restoreAllMocks());

function captured(): { lines: () => Record<string, unknown>[] } {
  const writes: string[] = [];
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => (writes.push(String(chunk)), true));
  return {
    lines: () =>
      writes
        .flatMap((w) => w.split('\n'))
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('task Lambda handler (middy + Powertools)', () => {
  it('runs the task function, logs with the fingerprint as correlation id, and emits metrics', async () => {
    const out = captured();
    const ctx = {
      config: { approvals: { timeout: 3600 } },
      ledger: { appendAudit: () => Promise.resolve() },
      now: () => new Date(),
      actor: 'workflow:x',
    } as unknown as TaskContext;
    const config = (await import('../../src/config/load.js')).parseConfig('version: 1\n', 'c.yaml');
    const handler = taskHandler('Normalize', normalize, () => Promise.resolve({ ...ctx, config }), observability());
    const result = (await handler(importedEvent([asffFinding()]), lambdaContext)) as unknown as {
      items: { findings: { finding: { fingerprint: string } }[] }[];
    };
    const fingerprint = result.items[0]?.findings[0]?.finding.fingerprint;
    const lines = out.lines();
    const log = lines.find((l) => l.message === 'Normalize done');
    expect(log).toMatchObject({ service: 'cloudmend', task: 'Normalize', function_request_id: 'req-1' });
    const metrics = lines.find((l) => '_aws' in l);
    expect(metrics).toMatchObject({ NormalizeSucceeded: 1, FindingsReceived: 1, service: 'cloudmend' });
    expect(JSON.stringify(lines)).not.toContain('"detail"');
    expect(fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('rethrows a task error under its own name, so the state machine can retry or catch it, and counts it', async () => {
    const out = captured();
    const ctx = {
      ledger: { get: () => Promise.reject(Object.assign(new Error('locked'), { name: 'cloudmend.Transient' })) },
    } as unknown as TaskContext;
    const handler = taskHandler('Record', record, () => Promise.resolve(ctx), observability());
    const event = {
      kind: 'fix',
      size: 1,
      findings: [{ finding: { fingerprint: 'f'.repeat(32), controlId: 'S3.8' } }],
      claim: { status: 'claimed', claimed: ['f'.repeat(32)], settled: [] },
      approvalError: { Error: 'States.Timeout' },
    };
    await expect(handler(event, lambdaContext)).rejects.toMatchObject({ name: 'cloudmend.Transient' });
    const lines = out.lines();
    expect(lines.find((l) => l.message === 'Record failed')).toMatchObject({
      correlation_id: 'f'.repeat(32),
      errorName: 'cloudmend.Transient',
    });
    expect(lines.find((l) => '_aws' in l)).toMatchObject({ RecordFailed: 1 });
  });
});
