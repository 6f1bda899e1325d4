/**
 * `cloudmend smoke` against a deployed stack: the synthetic finding's scratch file goes on a branch
 * of its own in the GitHub repository, the smoke run is recorded in the stack's ledger (the only
 * thing that lets the workflow base a pull request on that branch: the event never can), the event
 * goes on the stack's bus, and the execution is followed state by state until the finding ends.
 * An approval request is rejected here, as an approver would in Slack. Branches are retired at the
 * end unless kept. Every step reports where it stopped and why.
 */
import type { ApprovalOutcomeView } from '../approvals/blocks.js';
import { approvalMessageOf } from '../approvals/expiry.js';
import type { TaskCallbacks } from '../approvals/interactions.js';
import type { MessageRef } from '../approvals/slack-notifier.js';
import type { Config, RepositoryConfig } from '../config/schema.js';
import type { FindingRecord, Ledger } from '../ledger/port.js';
import { isTerminal } from '../ledger/states.js';
import type { Branches, BranchOwner, PullRequests } from '../scm/port.js';
import { decideApproval } from '../workflow/approvals.js';
import { declinedErrorName } from '../workflow/errors.js';
import type { SmokeOutputs } from './checks.js';
import { SMOKE_LABEL, SMOKE_RUN_TTL_MS, smokeFinding, type SmokeFinding } from './finding.js';
import { plannedFinding } from './plan.js';
import { smokeVerdict, type SmokeReport, type SmokeVerdict } from './verdict.js';

/** Step Functions' terminal execution statuses; anything else is still running. */
const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

export interface ExecutionProgress {
  readonly status: string;
  /** Names of the states entered so far, oldest first (a state entered twice is listed twice). */
  readonly states: readonly string[];
  /** Why a failed execution failed. */
  readonly error?: { readonly Error: string; readonly Cause: string } | undefined;
}

/** The AWS side of the deployed pipeline the smoke test touches (src/aws/smoke-pipeline.ts). */
export interface SmokePipeline {
  /** Puts `event`'s source, detail-type, resources and detail on the bus; answers EventBridge's event id, throws its refusal. */
  putEvent(busName: string, event: SmokeFinding['event']): Promise<string>;
  /** The execution, or undefined while none of that name has started. */
  execution(executionArn: string): Promise<ExecutionProgress | undefined>;
  /** Resumes a waiting execution: SendTaskFailure, as a rejection from Slack does. */
  readonly callbacks: Pick<TaskCallbacks, 'fail'>;
  /** Replaces the approval's Slack message with its outcome, as a click does; absent without Slack approvals. */
  readonly updateMessage?: ((update: MessageRef & ApprovalOutcomeView) => Promise<void>) | undefined;
}

export interface StackSmokeInput {
  readonly config: Config;
  readonly repository: RepositoryConfig;
  readonly outputs: SmokeOutputs;
  readonly region: string;
  readonly keep: boolean;
  /** How long to wait for the finding to end (the batching window included). */
  readonly timeoutMs: number;
  /** How often to look at the execution and the ledger. */
  readonly pollMs: number;
}

export interface StackSmokeDeps {
  readonly pipeline: SmokePipeline;
  /** The stack's ledger (DynamoDB). */
  readonly ledger: Ledger;
  /** The scratch branch; and the pull requests, to retire both at the end. */
  readonly branches: Branches;
  readonly pullRequests: Pick<PullRequests, 'retire'>;
  readonly runId: string;
  /** Who runs the smoke test, as the ledger records it. */
  readonly actor: string;
  readonly now: () => Date;
  /** Waits between looks (injected: tests advance it without real time passing). */
  readonly sleep: (ms: number) => Promise<void>;
  /** A progress line. */
  readonly say: (line: string) => void;
}

export type StackSmokeReport = SmokeReport & Required<Pick<SmokeReport, 'execution' | 'pullRequestUrl'>>;

/** The ARN the execution named `name` of `stateMachineArn` has (…:stateMachine:<sm> → …:execution:<sm>:<name>). */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** The execution's page in the Step Functions console. */
export function executionConsoleUrl(region: string, executionArn: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

/** Runs the smoke test through the deployed stack; never throws for where the pipeline stopped (that is the report). */
export async function smokeThroughStack(input: StackSmokeInput, deps: StackSmokeDeps): Promise<StackSmokeReport> {
  const { repository: repo, outputs, region } = input;
  const { runId, say } = deps;
  const smoke = smokeFinding(runId, repo, deps.now());
  // Named after the event's id, which EventBridge gives it: known once the event is put.
  let arn = '';
  let consoleUrl = '';
  let states: readonly string[] = [];
  let record: FindingRecord | undefined;
  let prBranch: string | null = null;
  let prUrl: string | null = null;
  const report = (verdict: SmokeVerdict, fingerprint: string | null): StackSmokeReport => ({
    smoke: true,
    runId,
    repository: repo.name,
    ...verdict,
    branches: { scratch: smoke.branch, pullRequest: prBranch },
    fingerprint,
    kept: input.keep,
    execution: arn === '' ? null : { arn, consoleUrl, states },
    pullRequestUrl: prUrl,
  });

  const planned = plannedFinding(smoke, input.config, repo.name);
  if ('problem' in planned) return report({ passed: false, state: 'not_sent', reason: planned.problem }, null);
  const { fingerprint } = planned;
  const scratchOwner: BranchOwner = { kind: 'batch', id: `smoke-${runId}` };
  try {
    await deps.branches.write({
      repository: repo.name,
      branch: smoke.branch,
      owner: scratchOwner,
      base: repo.defaultBranch,
      commitMessage: `${SMOKE_LABEL}: scratch file of run ${runId}`,
      files: [smoke.file],
    });
    say(`smoke test ${runId}: ${smoke.file.path} on branch ${smoke.branch} of ${repo.location} (${repo.defaultBranch} untouched)`);
    const startedAt = deps.now();
    await deps.ledger.recordSmokeRun({
      runId,
      repository: repo.name,
      by: deps.actor,
      startedAt,
      expiresAt: new Date(startedAt.getTime() + SMOKE_RUN_TTL_MS),
    });
    const eventId = await deps.pipeline.putEvent(outputs.EventBusName, smoke.event);
    arn = executionArnOf(outputs.StateMachineArn, eventId);
    consoleUrl = executionConsoleUrl(region, arn);
    say(`put the smoke finding on bus ${outputs.EventBusName} (EventBridge event ${eventId}); waiting for the execution named after it`);
    say(`  follow it in the console: ${consoleUrl}`);

    const waited = await follow(input, deps, { arn, fingerprint });
    states = waited.states;
    record = waited.record;
    const pr = (await deps.ledger.pullRequestsFor(fingerprint)).at(-1);
    prBranch = pr?.branch ?? null;
    prUrl = pr?.url ?? null;
    return report(verdictOf(waited, input), fingerprint);
  } catch (error) {
    // A refusal on the way (GitHub, the ledger, EventBridge): the report says which step and why.
    const reason = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
    return report({ passed: false, state: record?.state ?? 'not_sent', reason }, fingerprint);
  } finally {
    // Also after a failure on the way: the pull request may be open already.
    prBranch ??= (await deps.ledger.pullRequestsFor(fingerprint).catch(() => [])).at(-1)?.branch ?? null;
    if (!input.keep)
      await retireAll(deps, repo.name, [
        prBranch && { branch: prBranch, owner: { kind: 'finding', id: fingerprint } },
        { branch: smoke.branch, owner: scratchOwner },
      ]);
  }
}

interface Followed {
  readonly states: readonly string[];
  readonly record: FindingRecord | undefined;
  readonly execution: ExecutionProgress | undefined;
  readonly rejected: string | undefined;
  readonly timedOut: boolean;
}

/** Looks at the execution and the ledger every `pollMs` until the finding ends, the execution finishes, or the time is up. */
async function follow(
  input: StackSmokeInput,
  deps: StackSmokeDeps,
  { arn, fingerprint }: { arn: string; fingerprint: string },
): Promise<Followed> {
  const deadline = deps.now().getTime() + input.timeoutMs;
  let shown = 0;
  let rejected: string | undefined;
  let execution: ExecutionProgress | undefined;
  let record: FindingRecord | undefined;
  for (;;) {
    execution = await deps.pipeline.execution(arn);
    for (const state of execution?.states.slice(shown) ?? []) deps.say(`  ${state}`);
    shown = execution?.states.length ?? shown;
    record = await deps.ledger.get(fingerprint);
    if (record?.state === 'awaiting_approval' && rejected === undefined) rejected = await reject(deps, fingerprint);
    const ended = record !== undefined && isTerminal(record.state);
    if ((execution !== undefined && FINISHED.has(execution.status)) || (ended && execution === undefined)) break;
    if (deps.now().getTime() >= deadline) return { states: execution?.states ?? [], record, execution, rejected, timedOut: true };
    await deps.sleep(input.pollMs);
  }
  return { states: execution?.states ?? [], record, execution, rejected, timedOut: false };
}

/** Rejects the finding's pending approval as an approver would, and resumes the execution waiting on it. */
async function reject(deps: StackSmokeDeps, fingerprint: string): Promise<string | undefined> {
  const approval = (await deps.ledger.listApprovals({ status: 'pending' })).find((a) => a.fingerprint === fingerprint);
  if (approval === undefined) return undefined;
  const why = 'rejected by the smoke test';
  const result = await decideApproval(deps.ledger, {
    id: approval.id,
    decision: 'rejected',
    actor: deps.actor,
    at: deps.now(),
    reason: why,
  });
  if (result.outcome !== 'decided') return undefined;
  await deps.pipeline.callbacks.fail(approval.taskToken, declinedErrorName(undefined), `${why} (${deps.actor})`);
  deps.say(`  approval ${approval.id} requested, as the policy asks: ${why}`);
  const { updateMessage } = deps.pipeline;
  const message = updateMessage && (await approvalMessageOf(deps.ledger, approval));
  if (updateMessage && message) {
    // Best effort, as after a click: the decision is recorded and sent whatever Slack answers.
    const outcome = { status: 'rejected' as const, by: deps.actor, at: result.approval.decidedAt ?? deps.now() };
    await updateMessage({ ...message, approvalId: approval.id, fingerprint, outcome }).catch((error: unknown) =>
      deps.say(`  the Slack message of ${approval.id} still shows its buttons: ${(error as Error).message}`),
    );
  }
  return approval.id;
}

function verdictOf(followed: Followed, input: StackSmokeInput): SmokeVerdict {
  const { record, execution } = followed;
  const lastState = followed.states.at(-1);
  if (followed.timedOut && !(record !== undefined && isTerminal(record.state))) {
    const where =
      execution === undefined
        ? 'no execution of that name started'
        : `the execution is ${execution.status}, at ${lastState ?? 'its start'}`;
    const minutes = Math.round(input.timeoutMs / 60_000);
    const hint =
      execution === undefined
        ? 'check the stack’s smoke-test rule, the batching function’s logs and the dead-letter queues'
        : 'it may still finish: look at it in the console';
    return { passed: false, state: record?.state ?? 'not_started', reason: `after ${minutes} min ${where}: ${hint}` };
  }
  const approval = followed.rejected === undefined ? null : { id: followed.rejected, decision: 'rejected', by: null };
  const outcome = record === undefined ? undefined : { status: record.state, reason: record.reason ?? '', approval };
  const verdict = smokeVerdict(outcome, execution?.error);
  // The finding ended; its execution had not (a Notify still retrying): the verdict is the finding's.
  if (followed.timedOut)
    return { ...verdict, reason: `${verdict.reason} (the execution was still ${execution?.status ?? 'not found'} when the wait ended)` };
  if (verdict.passed || execution?.status === 'SUCCEEDED' || lastState === undefined) return verdict;
  return { ...verdict, reason: `the execution ${execution?.status ?? 'stopped'} at state ${lastState}: ${verdict.reason}` };
}

async function retireAll(
  deps: StackSmokeDeps,
  repository: string,
  branches: readonly ({ branch: string; owner: BranchOwner } | null | '')[],
): Promise<void> {
  for (const b of branches) {
    if (!b) continue;
    try {
      const { retired } = await deps.pullRequests.retire({
        repository,
        branch: b.branch,
        owner: b.owner,
        reason: 'cloudmend smoke test over',
      });
      if (retired) deps.say(`retired branch ${b.branch}`);
    } catch (error) {
      deps.say(`could not retire branch ${b.branch} (${error instanceof Error ? error.message : String(error)}): delete it by hand`);
    }
  }
}
