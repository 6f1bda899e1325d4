/**
 * Claim-check: what may be too large for the state (a work item's findings, a configuration item)
 * travels as the key of an artifact (S3 in AWS, the artifacts directory locally), so every state
 * stays far under Step Functions' 256 KiB (src/state-size.ts) whatever the findings' size. Keys
 * are the content's hash: storing the same value twice is one object, and nothing an (untrusted)
 * event says names a key.
 */
import { createHash } from 'node:crypto';
import type { Finding, LiveEvidence } from '../findings/finding.js';
import { jsonBytes } from '../state-size.js';
import { BATCH_DETAIL_TYPE, BATCH_EVENTS_PREFIX, type BatchDetail, type BatchReferenceDetail } from '../triggers/batch-event.js';
import type { Artifacts } from '../artifacts/port.js';
import { RejectedEventError, TransientError } from './errors.js';
import type { Carried } from './types.js';

/** Evidence up to this size stays in the state; larger goes to the artifact store. */
export const INLINE_EVIDENCE_BYTES = 8_192;

const contentHash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

async function storeByContent(
  artifacts: Artifacts,
  kind: 'findings' | 'targets' | 'evidence' | 'batches',
  value: unknown,
): Promise<string> {
  const key = `claim-check/${kind}/${contentHash(value)}.json`;
  await artifacts.put(key, value);
  return key;
}

/** A list up to this size travels in the state; larger goes to the artifact store. */
export const INLINE_LIST_BYTES = 16_384;

/** `list`, inline while small, else the key it is stored under (a work item's findings, its located targets). */
export async function carry<T>(artifacts: Artifacts, kind: 'findings' | 'targets', list: readonly T[]): Promise<Carried<T>> {
  return jsonBytes(list) <= INLINE_LIST_BYTES ? list : storeByContent(artifacts, kind, list);
}

/** `list` in the artifact store whatever its size: the key (a change's findings, read by a later run). */
export function storedList<T>(artifacts: Artifacts, kind: 'findings', list: readonly T[]): Promise<string> {
  return storeByContent(artifacts, kind, list);
}

/** The list `carry` made, read back from the artifact store if it was stored. */
export async function carried<T>(artifacts: Artifacts, list: Carried<T> | undefined): Promise<readonly T[]> {
  return typeof list === 'string' ? artifacts.get<T[]>(list) : (list ?? []);
}

/** `finding` with large evidence replaced by its key in the artifact store. */
export async function withStoredEvidence(artifacts: Artifacts, finding: Finding): Promise<Finding> {
  const { evidence } = finding;
  if (evidence === undefined || evidence.kind === 'stored') return finding;
  const bytes = jsonBytes(evidence);
  if (bytes <= INLINE_EVIDENCE_BYTES) return finding;
  return { ...finding, evidence: { kind: 'stored', key: await storeByContent(artifacts, 'evidence', evidence), bytes } };
}

/** The finding's evidence, read back from the artifact store if it was stored. */
export async function liveEvidence(artifacts: Artifacts, finding: Finding): Promise<Exclude<LiveEvidence, { kind: 'stored' }> | undefined> {
  const { evidence } = finding;
  return evidence?.kind === 'stored' ? artifacts.get<Exclude<LiveEvidence, { kind: 'stored' }>>(evidence.key) : evidence;
}

/** The only keys a batch reference may name: the batching side's prefix and a content hash, nothing an event can steer elsewhere. */
const BATCH_KEY = new RegExp(`^${BATCH_EVENTS_PREFIX}([0-9a-f]{64})\\.json$`);

type Event = { readonly 'detail-type'?: unknown; readonly detail?: unknown };

/**
 * The execution to start for a planned `execution`: a batch has its events stored and carries
 * their key (a small input whatever the findings' size); any other event is started as it is.
 */
export async function batchByReference(artifacts: Artifacts, execution: unknown): Promise<unknown> {
  const event = execution as Event;
  if (event['detail-type'] !== BATCH_DETAIL_TYPE) return execution;
  const { events, ...rest } = event.detail as BatchDetail;
  const detail: BatchReferenceDetail = {
    ...rest,
    eventsKey: await storeByContent(artifacts, 'batches', events),
    eventCount: events.length,
  };
  return { ...event, detail };
}

/**
 * A batch's events, read back from the artifact store. The key comes from the execution's input,
 * which anyone who can start an execution or put an event on the bus writes: only a key of the
 * batching side's form is read, and what is read must hash to it. Anything else fails the batch
 * with the reason (a throttled read is retried); the events read are as untrusted as inline ones.
 */
export async function storedBatchEvents(artifacts: Artifacts, id: string, key: unknown): Promise<readonly unknown[]> {
  // The batch id is the event's word too: quoted, and no longer than a real one, in the reason.
  const batchId = JSON.stringify(id.slice(0, 32));
  const hash = typeof key === 'string' ? BATCH_KEY.exec(key)?.[1] : undefined;
  if (hash === undefined)
    throw new RejectedEventError(
      `batch ${batchId}: detail.eventsKey ${JSON.stringify(key)?.slice(0, 200)} is not a key the batching stage writes (${BATCH_EVENTS_PREFIX}<sha256>.json); nothing was read`,
    );
  let events: unknown;
  try {
    events = await artifacts.get<unknown>(key as string);
  } catch (error) {
    if (error instanceof TransientError) throw error;
    throw new RejectedEventError(
      `batch ${batchId}: its events at ${key as string} cannot be read (${(error as Error).message}); its findings were not worked on: they run when Security Hub sends them again, or with a backfill`,
      { cause: error },
    );
  }
  if (contentHash(events) !== hash)
    throw new RejectedEventError(
      `batch ${batchId}: the object at ${key as string} is not the batch stored under that hash; nothing of it was worked on`,
    );
  if (!Array.isArray(events)) throw new RejectedEventError(`batch ${batchId}: the object at ${key as string} is not a list of events`);
  return events as unknown[];
}
