/**
 * A smoke test's finding (`cloudmend smoke`) is about a bucket that exists only on the run's scratch
 * branch, so its fix must be read from and based on that branch. The event is untrusted: the branch
 * comes from the ledger's record of the run (written by whoever started it), never from the event.
 */
import { smokeBranch, smokeRunIdOf } from '../smoke/finding.js';
import type { TaskContext } from './context.js';
import { repositoryNamed } from './item.js';
import type { ItemFinding } from './types.js';

/**
 * `item` with `base` the scratch branch of its smoke run, when its resource is a run's bucket and the
 * ledger records that run, unexpired, for the repository routing chose. Otherwise `item` unchanged (its
 * fix goes the normal way, on the default branch), with an audit event saying why when it named a run.
 */
export async function withSmokeBase(item: ItemFinding, ctx: Pick<TaskContext, 'ledger' | 'actor' | 'now'>): Promise<ItemFinding> {
  const runId = smokeRunIdOf(item.finding);
  const repository = repositoryNamed(item);
  if (runId === undefined || repository === undefined) return item;
  const run = await ctx.ledger.smokeRun(runId);
  const now = ctx.now();
  const untrusted =
    run === undefined
      ? 'no smoke run of that id is recorded'
      : run.repository !== repository
        ? `the smoke run is recorded for repository ${run.repository}, not ${repository}`
        : now >= run.expiresAt
          ? `the smoke run ended at ${run.expiresAt.toISOString()}`
          : undefined;
  if (untrusted === undefined) return { ...item, base: smokeBranch(runId) };
  await ctx.ledger.appendAudit({
    fingerprint: item.finding.fingerprint,
    type: 'smoke.untrusted',
    actor: ctx.actor,
    at: now,
    data: { runId, reason: `${untrusted}: fixed on the default branch, as any finding` },
  });
  return item;
}
