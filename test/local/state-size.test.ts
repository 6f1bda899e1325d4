/**
 * Step Functions' payload limit, held locally as AWS holds it: the execution input and every
 * state's input and output at most 256 KiB, exceeding it fails the execution (no Catch runs).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/local/runtime.js';
import { STATE_LIMIT_BYTES } from '../../src/state-size.js';
import { asffFinding, importedEvent, itemChangeEvent } from '../support/events.js';
import { makeWorld, type World } from './fixture.js';

let world: World | undefined;
afterEach(() => world?.cleanup());

const bucketEvent = (tags: Record<string, string> = {}) =>
  importedEvent([
    asffFinding({
      Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-logs', Tags: tags, Details: { AwsS3Bucket: { Name: 'acme-logs' } } }],
    }),
  ]);

const BUCKET_TF = 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n';

/**
 * A configuration item of bucket acme-logs of `bytes` bytes: what makes it large is what makes real
 * ones large, its relationships and a long bucket policy.
 */
function largeBucketChange(bytes: number): Record<string, unknown> {
  const relationships = Array.from({ length: 1_000 }, (_, i) => ({
    resourceType: 'AWS::S3::AccessPoint',
    resourceName: `ap-${i}`,
    name: 'Contains AccessPoint',
  }));
  const item = (policy: string) =>
    itemChangeEvent({
      configuration: JSON.stringify({ name: 'acme-logs', owner: { id: 'abc' }, creationDate: '2025-01-01T00:00:00.000Z' }),
      supplementaryConfiguration: { BucketPolicy: JSON.stringify({ policyText: policy }) },
      relationships,
      tags: {},
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'acme-logs',
      resourceName: 'acme-logs',
      ARN: 'arn:aws:s3:::acme-logs',
    });
  const itemBytes = (event: Record<string, unknown>): number =>
    Buffer.byteLength(JSON.stringify((event.detail as { configurationItem: unknown }).configurationItem));
  const padding = bytes - itemBytes(item(''));
  return item('s'.repeat(Math.max(0, padding - 40)));
}

async function runOne(w: World, event: unknown, limitBytes?: number) {
  const local = await w.open();
  try {
    return await createRuntime({ context: local.ctx, approve: 'auto', limitBytes }).run(event);
  } finally {
    await local.close();
  }
}

describe('the local runtime under Step Functions’ payload limit', () => {
  it('reports the largest payload of a run', async () => {
    world = await makeWorld();
    const out = await runOne(world, bucketEvent());
    expect(out.results.map((r) => r.status)).toEqual(['pr_opened']);
    expect(out.largestStateBytes).toBeGreaterThan(1_000);
    expect(out.largestStateBytes).toBeLessThan(STATE_LIMIT_BYTES);
  });

  it('fails the execution with States.DataLimitExceeded when a state’s payload exceeds the limit, and no Catch records it', async () => {
    world = await makeWorld();
    const event = bucketEvent();
    const limit = Buffer.byteLength(JSON.stringify(event)) + 200;
    const out = await runOne(world, event, limit);
    expect(out.error).toMatchObject({
      Error: 'States.DataLimitExceeded',
      Cause: expect.stringMatching(/^the (input|output) of state \w+ is \d+ bytes/) as unknown,
    });
    expect(out.results).toEqual([]);
    expect(out.largestStateBytes).toBeGreaterThan(limit);
    // As in AWS: RecordFailure never ran, so no finding is recorded failed.
    const local = await world.open();
    try {
      expect((await local.ctx.ledger.list({})).filter((f) => f.state === 'failed')).toEqual([]);
    } finally {
      await local.close();
    }
  });

  it('refuses an execution input over the limit, as StartExecution does', async () => {
    world = await makeWorld();
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`tag-${i}`, 'x'.repeat(5_300)]));
    const out = await runOne(world, bucketEvent(tags));
    expect(out.error).toMatchObject({
      Error: 'States.DataLimitExceeded',
      Cause: expect.stringMatching(/^the execution input is \d+ bytes/) as unknown,
    });
  });

  it('ends a 250 KB configuration item in a proper status, every state far under the limit', async () => {
    world = await makeWorld('', { 'storage.tf': BUCKET_TF });
    const event = largeBucketChange(250 * 1024);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(STATE_LIMIT_BYTES);
    const out = await runOne(world, event);
    expect(out.error).toBeUndefined();
    expect(out.results).toHaveLength(1);
    expect(out.results[0]).toMatchObject({ status: 'in_sync' });
    // Normalize reads the event whole; every state after it carries the item's key, not the item.
    expect(out.inputBytes).toBe(Buffer.byteLength(JSON.stringify(event)));
    expect(out.largestStateBytes).toBeLessThan(16 * 1024);
    const local = await world.open();
    try {
      expect((await local.ctx.ledger.list({})).map((f) => f.state)).toEqual([out.results[0]!.status]);
    } finally {
      await local.close();
    }
  });
});
