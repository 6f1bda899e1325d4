/**
 * A batch by reference (claim-check): the batching side stores a batch's events and starts the
 * execution with their key. The key is part of the execution's input, which an event on the bus
 * can forge: Normalize reads only keys of the batching side's form whose content hashes to them,
 * and anything else fails the execution with its reason, recorded in the ledger, never a crash or
 * a silent loss. What is read back is as untrusted as an inline batch.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEvent, Ledger } from '../../src/ledger/port.js';
import type { LocalContext } from '../../src/local/setup.js';
import { createRuntime } from '../../src/local/runtime.js';
import { BATCH_DETAIL_TYPE, type BatchDetail, type BatchReferenceDetail } from '../../src/triggers/batch-event.js';
import { normalize } from '../../src/workflow/tasks/normalize.js';
import { batchByReference, carry } from '../../src/workflow/stored.js';
import { ACCOUNT, asffFinding, importedEvent } from '../support/events.js';
import { makeWorld, type World } from './fixture.js';

let world: World | undefined;
let local: LocalContext | undefined;
afterEach(async () => {
  await local?.close();
  world?.cleanup();
  local = undefined;
  world = undefined;
});

const finding = (i: number) =>
  asffFinding({
    Id: `arn:aws:securityhub:us-east-1:${ACCOUNT}:finding/s3-${i}`,
    Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::acme-b${i}`, Details: { AwsS3Bucket: { Name: `acme-b${i}` } } }],
  });

/** An inline batch as the planner makes it: a good event, and one that is not an event at all. */
const inlineBatch = () => ({
  version: '0',
  id: 'batch-0123456789abcdef',
  'detail-type': BATCH_DETAIL_TYPE,
  source: 'cloudmend',
  account: ACCOUNT,
  region: 'us-east-1',
  time: '2026-12-07T09:00:00Z',
  resources: [],
  detail: {
    batchId: '0123456789abcdef',
    repository: 'infra',
    events: [importedEvent([finding(1), finding(2)], { id: 'evt-1' }), { id: 'evt-bad', detail: 'not an event' }],
  } satisfies BatchDetail,
});

/** The world's context, its ledger's audit records kept aside to look at (events without a fingerprint have no trail to read). */
async function open(): Promise<{ ctx: LocalContext['ctx']; audits: AuditEvent[] }> {
  world = await makeWorld();
  local = await world.open();
  const real = local.ctx.ledger;
  const audits: AuditEvent[] = [];
  const ledger = new Proxy(real, {
    get: (target, key) =>
      key === 'appendAudit'
        ? (event: AuditEvent) => (audits.push(event), target.appendAudit(event))
        : (Reflect.get(target, key) as (...a: unknown[]) => unknown).bind(target),
  }) satisfies Ledger;
  return { ctx: { ...local.ctx, ledger }, audits };
}

/** The batch as a reference event naming `eventsKey`, as anyone who can put an event on the bus could send it. */
const withKey = (eventsKey: unknown) => {
  const { batchId, repository } = inlineBatch().detail;
  return { ...inlineBatch(), detail: { batchId, repository, eventsKey, eventCount: 2 } };
};

describe('a batch by reference', () => {
  it('is stored under its content hash and normalizes exactly as the inline batch, the bad event a recorded problem', async () => {
    const { ctx } = await open();
    const reference = (await batchByReference(ctx.artifacts, inlineBatch())) as { detail: BatchReferenceDetail };
    expect(reference.detail).toEqual({
      batchId: '0123456789abcdef',
      repository: 'infra',
      eventsKey: expect.stringMatching(/^claim-check\/batches\/[0-9a-f]{64}\.json$/) as unknown,
      eventCount: 2,
    });
    expect(JSON.stringify(reference).length).toBeLessThan(500);
    const byReference = await normalize(reference, ctx);
    expect(byReference).toEqual(await normalize(inlineBatch(), ctx));
    expect(byReference.items).toHaveLength(1);
    expect(byReference.problems).toEqual([expect.stringMatching(/^event evt-bad: /)]);
    // Any other event is started as it is.
    const single = importedEvent([finding(3)], { id: 'evt-3' });
    expect(await batchByReference(ctx.artifacts, single)).toBe(single);
  });

  it.each([
    ['a key of another prefix (a work item’s findings)', 'members', /is not a key the batching stage writes/],
    ['a path out of the prefix', 'claim-check/batches/../members/x.json', /is not a key the batching stage writes/],
    ['a key outside the store', '../../../etc/passwd', /is not a key the batching stage writes/],
    ['an uppercase hash', `claim-check/batches/${'A'.repeat(64)}.json`, /is not a key the batching stage writes/],
    ['not a string', { key: 'claim-check/batches/x.json' }, /is not a key the batching stage writes/],
    [
      'a forged hash nothing was stored under',
      `claim-check/batches/${'a'.repeat(64)}.json`,
      /cannot be read .* its findings were not worked on/,
    ],
    ['content that is not what was stored under the hash', 'tampered', /is not the batch stored under that hash/],
  ])('fails closed on %s: the execution fails with the reason, recorded in the ledger', async (_name, key, reason) => {
    const { ctx, audits } = await open();
    let eventsKey = key;
    if (key === 'members') eventsKey = (await carry(ctx.artifacts, 'findings', ['x'.repeat(20_000)])) as string;
    if (key === 'tampered') {
      eventsKey = ((await batchByReference(ctx.artifacts, inlineBatch())) as { detail: BatchReferenceDetail }).detail.eventsKey;
      writeFileSync(join(world!.state, 'artifacts', eventsKey), JSON.stringify([importedEvent([finding(9)], { id: 'evt-forged' })]));
    }
    const out = await createRuntime({ context: ctx, approve: 'auto' }).run(withKey(eventsKey));
    expect(out.error).toEqual({ Error: 'cloudmend.InvalidEvent', Cause: expect.stringMatching(reason) as unknown });
    expect(out.results).toEqual([]);
    expect(audits).toEqual([
      expect.objectContaining({ type: 'event.problems', data: { eventId: 'batch-0123456789abcdef', problems: [out.error!.Cause] } }),
    ]);
  });
});
