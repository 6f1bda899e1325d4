/**
 * The event a batch travels in (planned by src/triggers/batching.ts, read by Normalize). On its
 * own so that Normalize's bundle does not carry the planner's skill registry.
 */
export const BATCH_DETAIL_TYPE = 'cloudmend Findings Batch';

/** Where in the artifact store a batch's events are (under the content hash of their JSON): the batching side writes only there. */
export const BATCH_EVENTS_PREFIX = 'claim-check/batches/';

export interface BatchDetail {
  readonly batchId: string;
  readonly repository: string;
  /** The original events, each cut down to the batch's findings. */
  readonly events: readonly unknown[];
}

/**
 * What an execution starts with instead (src/workflow/stored.ts): the events are in the artifact
 * store, so the execution input is small whatever the findings' size.
 */
export interface BatchReferenceDetail extends Omit<BatchDetail, 'events'> {
  /** The key of the events in the artifact store: `${BATCH_EVENTS_PREFIX}<sha256 of their JSON>.json`, nothing else. */
  readonly eventsKey: string;
  /** How many events the key holds (for whoever reads the execution's input). */
  readonly eventCount: number;
}
