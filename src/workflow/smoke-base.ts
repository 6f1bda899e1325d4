/**
 * A smoke test's finding (`cloudmend smoke`) is about a bucket that exists only on the run's scratch
 * branch, so its fix must be read from and based on that branch. The event is untrusted: the branch
 * comes from the ledger's record of the run (written by whoever started it), never from the event.
 */
import type { Ledger } from '../ledger/port.js';
import { smokeBranch, smokeRunIdOf } from '../smoke/finding.js';
import type { TaskContext } from './context.js';
import { repositoryNamed } from './item.js';
import type { ItemFinding } from './types.js';

/** Where a finding's fix is based: a smoke run's scratch branch, or (`base` undefined) the default branch and why not, when it named a run. */
export type SmokeBase = {
  readonly base?: string | undefined;
  readonly runId?: string | undefined;
  readonly untrusted?: string | undefined;
};

/**
 * The scratch branch of the smoke run `item` is about, when its resource is a run's bucket and the
 * ledger records that run, unexpired at `now`, for the repository routing chose. Reads only.
 */
export async function smokeBaseOf(ledger: Ledger, item: Pick<ItemFinding, 'finding' | 'decision'>, now: Date): Promise<SmokeBase> {
  const runId = smokeRunIdOf(item.finding);
  const repository = repositoryNamed(item);
  if (runId === undefined || repository === undefined) return {};
  const run = await ledger.smokeRun(runId);
  const untrusted =
    run === undefined
      ? 'no smoke run of that id is recorded'
      : run.repository !== repository
        ? `the smoke run is recorded for repository ${run.repository}, not ${repository}`
        : now >= run.expiresAt
          ? `the smoke run ended at ${run.expiresAt.toISOString()}`
          : undefined;
  return untrusted === undefined ? { base: smokeBranch(runId), runId } : { runId, untrusted };
}

/**
 * `item` with `base` its smoke run's scratch branch (`smokeBaseOf`). Otherwise `item` unchanged (its fix
 * goes the normal way, on the default branch), with an audit event saying why when it named a run.
 */
export async function withSmokeBase(item: ItemFinding, ctx: Pick<TaskContext, 'ledger' | 'actor' | 'now'>): Promise<ItemFinding> {
  const now = ctx.now();
  const { base, runId, untrusted } = await smokeBaseOf(ctx.ledger, item, now);
  if (base !== undefined) return { ...item, base };
  if (untrusted !== undefined)
    await ctx.ledger.appendAudit({
      fingerprint: item.finding.fingerprint,
      type: 'smoke.untrusted',
      actor: ctx.actor,
      at: now,
      data: { runId, reason: `${untrusted}: fixed on the default branch, as any finding` },
    });
  return item;
}
