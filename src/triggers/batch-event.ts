/**
 * The event a batch travels in (planned by src/triggers/batching.ts, read by Normalize). On its
 * own so that Normalize's bundle does not carry the planner's skill registry.
 */
export const BATCH_DETAIL_TYPE = 'cloudmend Findings Batch';

export interface BatchDetail {
  readonly batchId: string;
  readonly repository: string;
  readonly controlId: string;
  /** The original events, each cut down to the batch's findings. */
  readonly events: readonly unknown[];
}
