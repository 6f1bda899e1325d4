/**
 * The embedded runtime: the very `statemachines/remediate.asl.json` that runs in AWS, executed in
 * process by aws-local-stepfunctions, every Task bound to its function from the task table. It
 * holds every state to Step Functions' payload limit as AWS does (src/state-size.ts): a local
 * pass is an AWS pass.
 */
import './polyfills.js';
import { randomUUID } from 'node:crypto';
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { MAX_EVENT_DEPTH, nestedDeeperThan, tooDeepMessage } from '../findings/envelope.js';
import { jsonBytes, STATE_LIMIT_BYTES } from '../state-size.js';
import { definition, type PlaceholderKind } from '../workflow/asl.js';
import { scopedContext, type TaskContext } from '../workflow/context.js';
import { RejectedEventError } from '../workflow/errors.js';
import { correlationOf } from '../workflow/item.js';
import { TASKS } from '../workflow/tasks.js';
import type { FindingOutcome } from '../workflow/types.js';
import { waitForDecision, type ApproveMode } from './approval-wait.js';

export interface StepEvent {
  readonly fingerprint?: string | undefined;
  readonly step: string;
  readonly status: 'start' | 'ok' | 'error' | 'retry';
  readonly detail?: string | undefined;
}

export interface RunOutput {
  readonly eventId?: string | undefined;
  readonly results: readonly FindingOutcome[];
  readonly problems: readonly string[];
  /** Set when the event was rejected or the execution failed as a whole. */
  readonly error?: { readonly Error: string; readonly Cause: string } | undefined;
  /** The execution input (bytes of JSON): an event as EventBridge sent it, or a batch within its budget. */
  readonly inputBytes: number;
  /** The largest state input or output after the execution input (bytes of JSON): what the claim-check keeps small. */
  readonly largestStateBytes: number;
}

export interface RuntimeOptions {
  readonly context: TaskContext;
  readonly approve: ApproveMode;
  /** How often a waiting approval looks at the ledger. @default 250 */
  readonly pollMs?: number;
  /** Local runs retry quickly; the ASL's backoff is for AWS. @default 20 */
  readonly retryIntervalMs?: number;
  readonly onStep?: (event: StepEvent) => void;
  /** Step Functions' payload limit; lower only to test what exceeding it does. @default STATE_LIMIT_BYTES */
  readonly limitBytes?: number;
}

type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const LOCAL_ARN = (name: string, kind: PlaceholderKind): string =>
  kind === 'function'
    ? `arn:aws:lambda:us-east-1:000000000000:function:cloudmend-${name}`
    : `arn:aws:ecs:us-east-1:000000000000:${kind === 'cluster' ? 'cluster' : 'task-definition'}/cloudmend-${name}${kind === 'cluster' ? '' : ':1'}`;

// Lambda hands the state machine JSON: dates become strings, undefined disappears.
const asJson = (value: unknown): Json => JSON.parse(JSON.stringify(value ?? null)) as Json;

/** What Step Functions fails an execution with when a payload exceeds its limit; no Catch catches it. */
const dataLimitExceeded = (what: string, bytes: number, limit: number): { Error: string; Cause: string } => ({
  Error: 'States.DataLimitExceeded',
  Cause: `${what} is ${bytes} bytes, more than Step Functions' limit of ${limit}: large payloads travel by reference (src/state-size.ts)`,
});

/**
 * Watches an execution's states as AWS would: the largest payload seen, and the first over the
 * limit, which aborts the execution (Step Functions fails it; no Catch runs).
 */
function payloadWatch(limit: number, startAt: string, abort: () => void) {
  let largest = 0;
  let exceeded: { Error: string; Cause: string } | undefined;
  const measure = (what: string, value: unknown, counted: boolean): void => {
    const bytes = jsonBytes(value);
    if (counted) largest = Math.max(largest, bytes);
    if (bytes > limit && exceeded === undefined) {
      exceeded = dataLimitExceeded(what, bytes, limit);
      abort();
    }
  };
  return {
    observe(log: EventLog): void {
      // The first state's input is the execution input, told apart as `inputBytes`.
      if (log.type === 'StateEntered')
        measure(`the input of state ${log.state.name}`, log.state.input, log.index !== undefined || log.state.name !== startAt);
      else if (log.type === 'StateExited') measure(`the output of state ${log.state.name}`, log.state.output, true);
    },
    get largest() {
      return largest;
    },
    get exceeded() {
      return exceeded;
    },
  };
}

function errorOf(error: unknown): { Error: string; Cause: string } {
  if (error instanceof ExecutionError) {
    const cause = error.cause as { name?: string; message?: string } | undefined;
    return { Error: cause?.name ?? 'ExecutionError', Cause: cause?.message ?? error.message };
  }
  return { Error: error instanceof Error ? error.name : 'Error', Cause: error instanceof Error ? error.message : String(error) };
}

export function createRuntime(options: RuntimeOptions) {
  const { context: ctx } = options;
  const emit = options.onStep ?? (() => undefined);
  const bind =
    (name: string, fn: (input: unknown) => Promise<unknown>) =>
    async (input: Json): Promise<Json> => {
      const fingerprint = correlationOf(input);
      emit({ fingerprint, step: name, status: 'start' });
      try {
        const out = asJson(await fn(input));
        const status = (out as { status?: unknown } | null)?.status;
        emit({ fingerprint, step: name, status: 'ok', detail: typeof status === 'string' ? status : undefined });
        return out;
      } catch (error) {
        emit({
          fingerprint,
          step: name,
          status: 'error',
          detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        throw error;
      }
    };
  const handlers: Record<string, (input: Json) => Promise<Json>> = {};
  for (const spec of TASKS) {
    const scoped = scopedContext(ctx, spec.name, spec.ports);
    const fn = spec.fn as (i: unknown, c: TaskContext) => Promise<unknown>;
    // `.waitForTaskToken`: the task asks, then the execution waits for the decision in the ledger.
    handlers[spec.name] = bind(
      spec.name,
      spec.waitForTaskToken
        ? async (params) => {
            const { approvalId } = (await fn((params as { Payload: unknown }).Payload, scoped)) as { approvalId: string };
            return waitForDecision(ctx.ledger, approvalId, {
              mode: options.approve,
              pollMs: options.pollMs ?? 250,
              now: ctx.now,
              actor: `${ctx.actor}:--approve-${options.approve}`,
            });
          }
        : (input) => fn(input, scoped),
    );
  }
  const asl = definition('remediate', LOCAL_ARN) as { StartAt: string };
  const machine = new StateMachine(asl as never, { validationOptions: { checkPaths: true, checkArn: true } });
  const retry = options.retryIntervalMs ?? 20;
  const retryIntervalOverrides = Object.fromEntries(TASKS.map((t) => [t.name, retry]));

  return {
    /** Runs one event through the remediate workflow; never throws for a bad event. */
    async run(event: unknown): Promise<RunOutput> {
      // Refused before the state machine copies the input, which recursion that deep would overflow.
      if (nestedDeeperThan(event, MAX_EVENT_DEPTH))
        return { results: [], problems: [], error: errorOf(new RejectedEventError(tooDeepMessage())), inputBytes: 0, largestStateBytes: 0 };
      const limit = options.limitBytes ?? STATE_LIMIT_BYTES;
      // StartExecution refuses such an input outright.
      const inputBytes = jsonBytes(event);
      if (inputBytes > limit)
        return {
          results: [],
          problems: [],
          error: dataLimitExceeded('the execution input', inputBytes, limit),
          inputBytes,
          largestStateBytes: 0,
        };
      const executionId = randomUUID();
      const execution = machine.run(event as Json, {
        overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides },
        context: {
          Execution: { Id: `local:${executionId}`, Name: executionId, Input: event as Json, StartTime: ctx.now().toISOString() },
          Task: { Token: `local:${executionId}` },
        },
      });
      const watch = payloadWatch(limit, asl.StartAt, execution.abort);
      const logged = (async () => {
        for await (const log of execution.eventLogs) {
          watch.observe(log);
          if (log.type === 'StateRetried')
            emit({
              fingerprint: correlationOf(log.state.input),
              step: log.state.name,
              status: 'retry',
              detail: `attempt ${log.retry.attempt}`,
            });
        }
      })().catch(() => undefined);
      let out: Omit<RunOutput, 'inputBytes' | 'largestStateBytes'>;
      try {
        const output = (await execution.result) as { eventId?: string; results?: FindingOutcome[]; problems?: string[] };
        // A work item's first finding carries the item's others, as what differs from it: one result each.
        const results = (output.results ?? []).flatMap(({ members, ...result }) => [
          result,
          ...(members ?? []).map((m) => ({ ...result, ...m })),
        ]);
        out = { eventId: output.eventId, results, problems: output.problems ?? [] };
      } catch (error) {
        out = { results: [], problems: [], error: errorOf(error) };
      }
      // Every state's payload is measured before the outcome is told: one over the limit fails the execution, as in AWS.
      await logged;
      const exceeded = watch.exceeded;
      const sizes = { inputBytes, largestStateBytes: watch.largest };
      return exceeded ? { results: [], problems: [], error: exceeded, ...sizes } : { ...out, ...sizes };
    },
  };
}
