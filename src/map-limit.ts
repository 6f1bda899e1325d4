/**
 * Runs `task` on every item with at most `limit` running at once; results keep the items' order.
 * After a failure no further task starts, and the running ones settle before the first error is
 * thrown, so nothing still writes when the caller cleans up.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejected = settled.find((outcome) => outcome.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
  return results;
}
