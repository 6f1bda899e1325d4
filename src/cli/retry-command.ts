/**
 * `cloudmend retry <fingerprint> | --status <state>`: a person puts finished findings back to work,
 * e.g. a `no_target` one after tagging its resource with `cloudmend:source`. Terminal states are
 * otherwise final per fingerprint, and the next delivery only says `duplicate`.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { FindingRecord, Ledger } from '../ledger/port.js';
import { IN_FLIGHT_STATES, type FindingState } from '../ledger/states.js';
import { cliActor, common, findingByRef, out, withLedger, type Common } from './ledger-commands.js';
import type { Io } from './io.js';
import { plural } from '../plural.js';

/**
 * The states `--status` may retry in bulk: those a changed repository, tag or policy can turn
 * around. `pr_opened` (and the rest) only one by one, by fingerprint: a bulk retry of every opened
 * pull request would be a mistake more often than a wish.
 */
export const RETRY_STATUSES = ['no_target', 'no_fix', 'needs_model', 'recommended', 'blocked', 'rejected', 'expired', 'failed'] as const;

interface RetryOptions extends Common {
  readonly status?: string;
  readonly reason?: string;
  readonly by?: string;
}

const isInFlight = (state: FindingState): boolean => (IN_FLIGHT_STATES as readonly FindingState[]).includes(state);

/** The findings `ref` or `--status` name, refused whole when any is unknown or in flight. */
async function chosen(ledger: Ledger, ref: string | undefined, status: string | undefined): Promise<FindingRecord[]> {
  if (ref !== undefined && status !== undefined) throw new UsageError('give a fingerprint or --status, not both');
  if (status !== undefined) {
    if (!(RETRY_STATUSES as readonly string[]).includes(status))
      throw new UsageError(`--status must be one of ${RETRY_STATUSES.join(', ')}, not ${JSON.stringify(status)}`);
    return ledger.list({ state: status as FindingState, limit: 10_000 });
  }
  if (ref === undefined) throw new UsageError('give a fingerprint (or a unique prefix) or --status <state>');
  const record = await findingByRef(ledger, ref);
  if (!record) throw new UsageError(`no finding ${JSON.stringify(ref)}; list them with: cloudmend status`);
  if (isInFlight(record.state))
    throw new UsageError(
      `finding ${record.fingerprint} is ${record.state}: a run is working on it or waiting for a person; only a finished finding can be retried`,
    );
  return [record];
}

async function retry(ref: string | undefined, options: RetryOptions, io: Io): Promise<number> {
  return withLedger(options, io, async (ledger) => {
    const records = await chosen(ledger, ref, options.status);
    const actor = cliActor(options.by);
    const reason = options.reason ?? 'requested';
    const at = new Date();
    const retried: { fingerprint: string; from: FindingState }[] = [];
    for (const record of records) {
      await ledger.retry({ fingerprint: record.fingerprint, actor, at, reason });
      retried.push({ fingerprint: record.fingerprint, from: record.state });
    }
    const next = 'run the events they came in again (e.g. cloudmend run <events>): the next delivery claims them instead of duplicate';
    const text =
      retried.length === 0
        ? `no finding is ${options.status ?? ''}; nothing changed`
        : [
            `retried ${plural(retried.length, 'finding')} by ${actor} (${reason}):`,
            ...retried.map((r) => `  ${r.fingerprint}  was ${r.from}`),
            next,
          ].join('\n');
    out(io, options, { retried, actor, reason, next }, text);
    return 0;
  });
}

export function registerRetry(program: Command, io: Io, setExitCode: (code: number) => void): void {
  common(program.command('retry').description('put finished findings back to work: their next delivery runs them again, not duplicate'))
    .argument('[fingerprint]', 'fingerprint (or a unique prefix) of a finished finding')
    .option('--status <state>', `every finding in this state: ${RETRY_STATUSES.join(', ')}`)
    .option('--reason <text>', 'why, for the record (shown in cloudmend show)')
    .option('--by <name>', 'who retries (default: your user name)')
    .addHelpText(
      'after',
      [
        '',
        'The finding becomes failed with the reason "retry: <text>"; its audit trail records who and why.',
        'Nothing runs now: run the event again (cloudmend run <events>; in AWS its next delivery or the backfill).',
        'A pr_opened finding may be retried by fingerprint: its next run patches the code as it is then and updates its',
        'branch and pull request (opening is idempotent by branch), e.g. after the base moved. Findings in flight are refused.',
        'Exit status: 0 retried (or none in that state), 2 unknown, ambiguous, in flight or a status not allowed (nothing changed).',
      ].join('\n'),
    )
    .action(async (ref: string | undefined, o: RetryOptions) => setExitCode(await retry(ref, o, io)));
}
