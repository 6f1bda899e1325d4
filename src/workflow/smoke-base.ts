/**
 * A smoke test's finding (`cloudmend smoke`) is about a bucket that exists only on the run's scratch
 * branch, so its fix must be read from and based on that branch. The event is untrusted: the branch
 * comes from the ledger's record of the run (written by whoever started it), never from the event.
 * Only a `cloudmend Smoke Test Finding` event is ever based elsewhere, and such an event is acted on
 * only for a recorded run: anyone allowed to put events on the bus can send one (EventBridge keeps
 * `aws.*` sources for AWS), so without the record it is skipped, never fixed on the default branch.
 */
import type { EventKind } from '../findings/normalized.js';
import type { Ledger } from '../ledger/port.js';
import { smokeBranch, smokeRunIdOf } from '../smoke/finding.js';
import type { TaskContext } from './context.js';
import { repositoryNamed } from './item.js';
import type { ItemFinding } from './types.js';

/** A smoke-test event's finding: the scratch branch its fix is based on, or why it has none (`untrusted`); nothing for any other. */
export type SmokeBase = {
  readonly base?: string | undefined;
  readonly runId?: string | undefined;
  readonly untrusted?: string | undefined;
};

/**
 * For a finding of a smoke-test event (`kind`) that policy would fix: the scratch branch of its smoke
 * run, when its resource is a run's bucket and the ledger records that run, unexpired at `now`, for
 * the repository routing chose; else why not (`untrusted`). Any other finding: nothing. Reads only.
 */
export async function smokeBaseOf(
  ledger: Ledger,
  item: Pick<ItemFinding, 'finding' | 'decision'>,
  now: Date,
  kind: EventKind | undefined,
): Promise<SmokeBase> {
  const repository = repositoryNamed(item);
  if (kind !== 'smoke-test' || repository === undefined) return {};
  const runId = smokeRunIdOf(item.finding);
  if (runId === undefined) return { untrusted: `${item.finding.resource.id} is not a smoke run's bucket` };
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

/** Why a smoke-test event's finding is not acted on (the skip's reason). */
export function unrecordedSmokeReason(untrusted: string): string {
  return `a smoke-test event is acted on only for a run \`cloudmend smoke\` recorded in the ledger: ${untrusted}`;
}

/**
 * `item` with `base` its smoke run's scratch branch (`smokeBaseOf`). A smoke-test event's finding
 * without one is skipped (`unrecorded_smoke_run`), with an audit event saying why; any other finding
 * is returned unchanged.
 */
export async function withSmokeBase(
  item: ItemFinding,
  ctx: Pick<TaskContext, 'ledger' | 'actor' | 'now'>,
  kind: EventKind | undefined,
): Promise<ItemFinding> {
  const now = ctx.now();
  const { base, runId, untrusted } = await smokeBaseOf(ctx.ledger, item, now, kind);
  if (base !== undefined) return { ...item, base };
  if (untrusted === undefined) return item;
  const reason = unrecordedSmokeReason(untrusted);
  await ctx.ledger.appendAudit({
    fingerprint: item.finding.fingerprint,
    type: 'smoke.untrusted',
    actor: ctx.actor,
    at: now,
    data: { ...(runId === undefined ? {} : { runId }), reason },
  });
  return { ...item, decision: { decision: 'skip', code: 'unrecorded_smoke_run', reason } };
}
