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
import type { ApprovalOutput, FindingOutcome, IterationState } from '../workflow/types.js';
import { keepForResume } from './approval-resume.js';
import { waitForDecision, type ApproveMode } from './approval-wait.js';
import { localTaskToken } from './recovery.js';

export interface StepEvent {
  readonly fingerprint?: string | undefined;
  readonly step: string;
  readonly status: 'start' | 'ok' | 'error' | 'retry';
  readonly detail?: string | undefined;
}

export interface RunOutput {
  /** The event's id (a batch's for a batch): from the workflow's output, else from the event itself. */
  readonly eventId?: string | undefined;
  readonly results: readonly FindingOutcome[];
  readonly problems: readonly string[];
  /** Set when the event was rejected or the execution failed as a whole. */
  readonly error?: { readonly Error: string; readonly Cause: string } | undefined;
  /** Set when the runtime was stopped before the execution ended (see `stop`): what the next start does about it. */
  readonly interrupted?: string | undefined;
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

/**
 * The part of the work-item iteration from state `from` on (every state reachable from it), as a
 * machine of its own: what an execution stopped at `from` runs to continue.
 */
function continuationFrom(asl: { States: Record<string, unknown> }, from: string): { StartAt: string; States: Record<string, unknown> } {
  type State = { Next?: string; Default?: string; Catch?: { Next: string }[]; Choices?: { Next: string }[] };
  const map = Object.values(asl.States as Record<string, { ItemProcessor?: { States: Record<string, State> } }>).find(
    (s) => s.ItemProcessor?.States[from] !== undefined,
  );
  if (!map?.ItemProcessor) throw new Error(`no iteration state ${from} in the remediate workflow`);
  const states = map.ItemProcessor.States;
  const reached = new Set<string>();
  for (const todo = [from]; todo.length > 0; ) {
    const name = todo.pop() as string;
    const state = states[name];
    if (reached.has(name) || !state) continue;
    reached.add(name);
    todo.push(
      ...[state.Next, state.Default, ...(state.Catch ?? []), ...(state.Choices ?? [])].flatMap((n) =>
        typeof n === 'string' ? n : (n?.Next ?? []),
      ),
    );
  }
  return { StartAt: from, States: Object.fromEntries([...reached].map((name) => [name, states[name]])) };
}

const idOf = (event: unknown): string | undefined => {
  const id = (event as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
};

function errorOf(error: unknown): { Error: string; Cause: string } {
  if (error instanceof ExecutionError) {
    const cause = error.cause as { name?: string; message?: string } | undefined;
    return { Error: cause?.name ?? 'ExecutionError', Cause: cause?.message ?? error.message };
  }
  return { Error: error instanceof Error ? error.name : 'Error', Cause: error instanceof Error ? error.message : String(error) };
}

/** One execution going on: `stopWaiting` ends its approval wait (if the decision is not in), `abort` the execution. */
interface Going {
  readonly stopWaiting: AbortController;
  readonly abort: () => void;
  readonly done: Promise<unknown>;
}

/** What `run` and `resume` tell of an execution the runtime stopped. */
const STOPPED =
  'stopped before it ended: the next `cloudmend run` or `serve` takes over the approvals it waited on (it waits on them, or carries out their decision); the rest runs again';

/** Runs executions of the remediate workflow in process; `stop` ends them without losing a finding. */
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

  /** The executions going on, by their task token. */
  const live = new Map<string, Going>();
  let stopping = false;
  /** The decision on `approvalId`, waited for by the execution of `token`, as SendTaskSuccess / SendTaskFailure give it in AWS. */
  const waitOn = async (approvalId: string, token: string): Promise<ApprovalOutput> => {
    const going = live.get(token);
    try {
      return await waitForDecision(ctx, approvalId, {
        mode: options.approve,
        pollMs: options.pollMs ?? 250,
        now: ctx.now,
        actor: `${ctx.actor}:--approve-${options.approve}`,
        signal: going?.stopWaiting.signal,
      });
    } catch (error) {
      // Stopped before the decision came: the execution ends here, its findings recorded as waiting.
      if (going?.stopWaiting.signal.aborted) going.abort();
      throw error;
    }
  };
  type Params = { Payload: { input: IterationState; taskToken: string } };
  const handlers: Record<string, (input: Json) => Promise<Json>> = {};
  for (const spec of TASKS) {
    const scoped = scopedContext(ctx, spec.name, spec.ports);
    const fn = spec.fn as (i: unknown, c: TaskContext) => Promise<unknown>;
    // `.waitForTaskToken`: the task asks, then the execution waits for the decision in the ledger.
    handlers[spec.name] = bind(
      spec.name,
      spec.waitForTaskToken
        ? async (params) => {
            const { Payload } = params as Params;
            const { approvalId } = (await fn(Payload, scoped)) as { approvalId: string };
            // Another run continues from here if this one is gone when the decision comes.
            await keepForResume(ctx.artifacts, approvalId, Payload.input);
            return waitOn(approvalId, Payload.taskToken);
          }
        : (input) => fn(input, scoped),
    );
  }
  const asl = definition('remediate', LOCAL_ARN) as { StartAt: string; States: Record<string, unknown> };
  const validationOptions = { checkPaths: true, checkArn: true };
  const machine = new StateMachine(asl as never, { validationOptions });
  const waitState = TASKS.find((t) => t.waitForTaskToken)?.name ?? 'RequestApproval';
  const continuation = continuationFrom(asl, waitState);
  const afterDecision = new StateMachine(continuation as never, { validationOptions });
  const retry = options.retryIntervalMs ?? 20;
  const retryIntervalOverrides = Object.fromEntries(TASKS.map((t) => [t.name, retry]));

  /** Runs `input` through `on` (starting at `startAt`), held to the payload limit; never throws. */
  async function execute(
    on: StateMachine,
    startAt: string,
    input: Json,
    own: Record<string, (input: Json) => Promise<Json>>,
    executionId: string = randomUUID(),
  ): Promise<Omit<RunOutput, 'eventId'> & { output?: unknown }> {
    const limit = options.limitBytes ?? STATE_LIMIT_BYTES;
    // StartExecution refuses such an input outright.
    const inputBytes = jsonBytes(input);
    if (inputBytes > limit)
      return {
        results: [],
        problems: [],
        error: dataLimitExceeded('the execution input', inputBytes, limit),
        inputBytes,
        largestStateBytes: 0,
      };
    if (stopping)
      return { results: [], problems: [], interrupted: 'not started: the runtime is stopping', inputBytes, largestStateBytes: 0 };
    const token = localTaskToken(ctx.actor, executionId);
    const execution = on.run(input, {
      overrides: { taskResourceLocalHandlers: own, retryIntervalOverrides },
      context: {
        Execution: { Id: `local:${executionId}`, Name: executionId, Input: input, StartTime: ctx.now().toISOString() },
        Task: { Token: token },
      },
    });
    let aborted = false;
    const abort = (): void => ((aborted = true), execution.abort());
    live.set(token, { stopWaiting: new AbortController(), abort, done: execution.result.catch(() => undefined) });
    const watch = payloadWatch(limit, startAt, execution.abort);
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
    let out: Omit<RunOutput, 'inputBytes' | 'largestStateBytes'> & { output?: unknown };
    try {
      out = { results: [], problems: [], output: await execution.result };
    } catch (error) {
      out =
        aborted && watch.exceeded === undefined
          ? { results: [], problems: [], interrupted: STOPPED }
          : { results: [], problems: [], error: errorOf(error) };
    } finally {
      live.delete(token);
    }
    // Every state's payload is measured before the outcome is told: one over the limit fails the execution, as in AWS.
    await logged;
    const exceeded = watch.exceeded;
    const sizes = { inputBytes, largestStateBytes: watch.largest };
    return exceeded ? { results: [], problems: [], error: exceeded, ...sizes } : { ...out, ...sizes };
  }

  // A work item's first finding carries the item's others, as what differs from it: one result each.
  const flatten = (outcomes: readonly FindingOutcome[]): FindingOutcome[] =>
    outcomes.flatMap(({ members, ...result }) => [result, ...(members ?? []).map((m) => ({ ...result, ...m }))]);

  return {
    /** Runs one event through the remediate workflow; never throws for a bad event. */
    async run(event: unknown): Promise<RunOutput> {
      const eventId = idOf(event);
      // Refused before the state machine copies the input, which recursion that deep would overflow.
      if (nestedDeeperThan(event, MAX_EVENT_DEPTH))
        return {
          eventId,
          results: [],
          problems: [],
          error: errorOf(new RejectedEventError(tooDeepMessage())),
          inputBytes: 0,
          largestStateBytes: 0,
        };
      const { output, ...out } = await execute(machine, asl.StartAt, event as Json, handlers);
      const done = output as { eventId?: string; results?: FindingOutcome[]; problems?: string[] } | undefined;
      return { ...out, eventId: done?.eventId ?? eventId, results: flatten(done?.results ?? []), problems: done?.problems ?? out.problems };
    },

    /**
     * Continues an execution that stopped waiting on `approvalId` (its run is gone) from the state it
     * held there, as execution `executionId` (the approval's task token names it): the decision is
     * waited for as at RequestApproval (at once when it is in), `approved` runs once an approval is,
     * and the workflow goes on after it.
     */
    async resume(approvalId: string, state: IterationState, executionId: string, approved: () => Promise<void>): Promise<RunOutput> {
      const waitAgain = async (params: unknown): Promise<ApprovalOutput> => {
        const decision = await waitOn(approvalId, (params as Params).Payload.taskToken);
        await approved();
        return decision;
      };
      const decided = { ...handlers, [waitState]: bind(waitState, waitAgain) };
      const { output, ...out } = await execute(afterDecision, continuation.StartAt, state as unknown as Json, decided, executionId);
      return { ...out, results: flatten(output ? [output as FindingOutcome] : []) };
    },

    /**
     * Stops: no execution starts any more, those waiting on an approval end at once (their findings
     * stay recorded as waiting, for the next run), the others may finish within `graceMs`, and are
     * ended then. Resolves when every execution has returned.
     */
    async stop(graceMs: number): Promise<void> {
      stopping = true;
      for (const going of live.values()) going.stopWaiting.abort(new Error('the runtime stopped'));
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.all([...live.values()].map((g) => g.done)), grace]);
      clearTimeout(timer);
      for (const going of live.values()) going.abort();
      await Promise.all([...live.values()].map((g) => g.done));
    },
  };
}
