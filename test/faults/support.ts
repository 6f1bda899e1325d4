/**
 * Shared by the fault-injection tests: a world of buckets whose S3.8 findings the real remediate
 * workflow fixes, a run through the local runtime with one port replaced, and the invariants every
 * fault must leave intact: each finding ends in a terminal state (`failed` being claimable again),
 * nothing is doubled (one pull-request record, one branch, no approval left waiting, one outcome per
 * run), and nothing is lost.
 */
import { expect } from 'vitest';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { Ledger } from '../../src/ledger/port.js';
import { TERMINAL_STATES, type FindingState } from '../../src/ledger/states.js';
import { createRuntime, type RunOutput, type StepEvent } from '../../src/local/runtime.js';
import type { LocalSetup } from '../../src/local/setup.js';
import type { TaskContext } from '../../src/workflow/context.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { makeWorld, type World } from '../local/fixture.js';

const BUCKETS = ['a', 'b', 'c'] as const;

/** Terraform declaring `acme-<name>` for each name. */
export const bucketsTf = (names: readonly string[] = BUCKETS): string =>
  names.map((n) => `resource "aws_s3_bucket" "${n}" {\n  bucket = "acme-${n}"\n}\n`).join('\n');

/** A world whose repository declares the buckets. */
export function bucketsWorld(configExtra = '', names: readonly string[] = BUCKETS): Promise<World> {
  return makeWorld(configExtra, { 'storage.tf': bucketsTf(names) });
}

/** One S3.8 finding per bucket, in one event (the Map runs them side by side). */
export function bucketsEvent(names: readonly string[] = BUCKETS, control = 'S3.8'): Record<string, unknown> {
  const findings = names.map((n, i) =>
    asffFinding({
      control,
      Id: `arn:aws:securityhub:us-east-1:111122223333:security-control/${control}/finding/0000000${i}-fault`,
      Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::acme-${n}` }],
    }),
  );
  return importedEvent(findings, { id: `evt-${names.join('-')}-${control}` });
}

export interface FaultRun {
  readonly out: RunOutput;
  readonly steps: StepEvent[];
}

export interface RunOptions {
  readonly approve?: 'auto' | 'reject' | 'wait';
  /** Replaces ports of the run's context. */
  readonly wrap?: (ctx: TaskContext) => TaskContext;
  readonly setup?: Partial<LocalSetup>;
  /** @default 5 */
  readonly retryIntervalMs?: number;
  /** Sees every step as it happens. */
  readonly onStep?: (event: StepEvent) => void;
}

/** One event through the real ASL, on a fresh local context (as a new `cloudmend run` would open). */
export async function runOnce(world: World, event: unknown, options: RunOptions = {}): Promise<FaultRun> {
  const local = await world.open(options.setup);
  const steps: StepEvent[] = [];
  try {
    const ctx = options.wrap ? options.wrap(local.ctx) : local.ctx;
    const runtime = createRuntime({
      context: ctx,
      approve: options.approve ?? 'auto',
      pollMs: 10,
      retryIntervalMs: options.retryIntervalMs ?? 5,
      onStep: (e) => (steps.push(e), options.onStep?.(e)),
    });
    return { out: await runtime.run(event), steps };
  } finally {
    await local.close();
  }
}

/** `use` on a connection of its own to the world's ledger, closed afterwards. */
export async function withLedger<T>(world: World, use: (ledger: Ledger) => Promise<T>): Promise<T> {
  const ledger = openSqliteLedger({ path: `${world.state}/ledger.db` });
  try {
    return await use(ledger);
  } finally {
    await ledger.close();
  }
}

/** The ledger states of `fingerprints`, in order. */
export function statesOf(world: World, fingerprints: readonly string[]): Promise<(FindingState | undefined)[]> {
  return withLedger(world, (ledger) => Promise.all(fingerprints.map(async (fp) => (await ledger.get(fp))?.state)));
}

/** `cloudmend/*` branches of the world's repository. */
export async function branches(world: World): Promise<string[]> {
  return (await world.git('branch', '--list', '--format=%(refname:short)', 'cloudmend/*')).split('\n').filter(Boolean);
}

/**
 * The invariants after any fault: every finding of `fingerprints` is in the ledger in a terminal
 * state; a pull request is recorded once and has one branch (a finding's is the one its record names) (`branches`: on the host, by
 * default the world's repository); no approval waits for anyone; and no run recorded two outcomes
 * for one finding.
 */
export async function expectSettled(
  world: World,
  fingerprints: readonly string[],
  options: { readonly branches?: readonly string[] } = {},
): Promise<void> {
  const heads = options.branches ?? (await branches(world));
  await withLedger(world, async (ledger) => {
    const pending = await ledger.listApprovals({ status: 'pending' });
    expect(
      pending.map((a) => `${a.id} of ${a.fingerprint}`),
      'approvals left waiting',
    ).toEqual([]);
    for (const fp of fingerprints) {
      const record = await ledger.get(fp);
      expect(record, `${fp} is in the ledger`).toBeDefined();
      expect(TERMINAL_STATES as readonly string[], `${fp} is ${record?.state}`).toContain(record?.state);
      const pulls = await ledger.pullRequestsFor(fp);
      expect(pulls.length, `pull requests of ${fp}`).toBeLessThanOrEqual(1);
      if (record?.state === 'pr_opened') {
        // Its fix is in the pull request its record names (one change per resource: maybe first opened for another finding).
        const pull = await ledger.getPullRequest(String(record.data?.pullRequest));
        expect(pull, `the pull request of ${fp}`).toBeDefined();
        expect(
          heads.filter((b) => b === pull?.branch),
          `the branch of ${fp}`,
        ).toHaveLength(1);
      }
      // A finding whose pull request a later finding of the run updated has that update's outcome too.
      const outcomes = (await ledger.auditTrail(fp)).filter((e) => e.type === 'outcome' && !String(e.data?.reason).startsWith('updated'));
      const actors = outcomes.map((e) => e.actor);
      expect(actors, `one outcome per run for ${fp}`).toEqual([...new Set(actors)]);
    }
    // One branch per pull request recorded, and none besides.
    const recorded = (await Promise.all(fingerprints.map((fp) => ledger.pullRequestsFor(fp)))).flat().map((p) => p.branch);
    expect([...heads].sort()).toEqual([...new Set(recorded)].sort());
  });
}

/** The statuses of a run's results, by fingerprint. */
export const statuses = (run: FaultRun): Record<string, string> =>
  Object.fromEntries(run.out.results.map((r) => [r.fingerprint, r.status]));

/** How often `step` was started for `fingerprint` in a run. */
export const attempts = (run: FaultRun, step: string, fingerprint?: string): number =>
  run.steps.filter((s) => s.step === step && s.status === 'start' && (fingerprint === undefined || s.fingerprint === fingerprint)).length;
