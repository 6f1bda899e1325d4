/**
 * The task table: every task of every state machine, once. The local runtime binds these functions
 * in process; the CDK stack builds one Lambda per entry (timeout, memory) and fills the ASL's
 * `${<Name>FunctionArn}` placeholders from it. A task is added here and shows up in both worlds.
 */
import type { Port, Task } from './context.js';
import { applySkill } from './tasks/apply-skill.js';
import { checkPolicy } from './tasks/check-policy.js';
import { claim } from './tasks/claim.js';
import { collectAgent } from './tasks/collect-agent.js';
import { collectValidation } from './tasks/collect-validation.js';
import { compareDrift } from './tasks/compare-drift.js';
import { locateTask } from './tasks/locate.js';
import { normalize } from './tasks/normalize.js';
import { notify } from './tasks/notify.js';
import { openPullRequest } from './tasks/open-pull-request.js';
import { record } from './tasks/record.js';
import { recordFailure } from './tasks/record-failure.js';
import { requestApproval } from './tasks/request-approval.js';
import { runAgent } from './tasks/run-agent.js';
import { sandbox } from './tasks/sandbox.js';

export interface TaskSpec {
  /** The ASL state name, and the `${<name>FunctionArn}` placeholder. */
  readonly name: string;
  readonly description: string;
  readonly fn: Task<never, unknown>;
  /** Lambda timeout; the ASL state's TimeoutSeconds leaves a margin above it. */
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /**
   * The ports the task uses besides config and clock. The stack grants exactly these (a Lambda's
   * IAM role), and the local runtime hands the task a context holding only these, so a task that
   * reaches for another port fails in the tests before it fails in AWS.
   */
  readonly ports: readonly Port[];
  /** Invoked through `lambda:invoke.waitForTaskToken`: the execution waits for a decision. */
  readonly waitForTaskToken?: boolean;
  /** Runs in the Fargate sandbox (ECS RunTask) rather than Lambda; `fn` is its local binding. */
  readonly sandbox?: boolean;
}

const task = (spec: Omit<TaskSpec, 'fn'> & { fn: Task<never, unknown> }): TaskSpec => spec;

export const TASKS = [
  task({
    name: 'Normalize',
    description: 'event to findings with policy decisions',
    fn: normalize,
    ports: ['ledger', 'artifacts'],
    timeoutSeconds: 30,
    memoryMb: 512,
  }),
  task({
    name: 'Claim',
    description: 'idempotent claim; duplicates and skips stop here; joins the open pull requests of its resources',
    fn: claim,
    ports: ['ledger', 'artifacts', 'pullRequests'],
    timeoutSeconds: 60,
    memoryMb: 256,
  }),
  task({
    name: 'Locate',
    description: 'finding to file and resource in the owning repository',
    fn: locateTask,
    ports: ['ledger', 'repositories', 'artifacts'],
    timeoutSeconds: 120,
    memoryMb: 1024,
  }),
  task({
    name: 'ApplySkill',
    description: 'deterministic fix, independently verified',
    fn: applySkill,
    ports: ['ledger', 'repositories', 'artifacts', 'sandbox'],
    timeoutSeconds: 300,
    memoryMb: 2048,
  }),
  task({
    name: 'CompareDrift',
    description: 'drift: the code against the live resource, and the codify patch',
    fn: compareDrift,
    ports: ['ledger', 'repositories', 'artifacts', 'sandbox'],
    timeoutSeconds: 120,
    memoryMb: 1024,
  }),
  task({
    name: 'RunAgent',
    description: "packs the located code into the agent's task",
    fn: runAgent,
    ports: ['ledger', 'repositories', 'artifacts', 'sandbox'],
    timeoutSeconds: 60,
    memoryMb: 512,
  }),
  task({
    name: 'Sandbox',
    description: 'the model agent or the validators, sandboxed (a Fargate task in AWS)',
    fn: sandbox,
    ports: ['sandbox'],
    timeoutSeconds: 3_600,
    memoryMb: 4096,
    sandbox: true,
  }),
  task({
    name: 'CollectAgent',
    description: 'reviews the sandbox result outside it',
    fn: collectAgent,
    ports: ['ledger', 'artifacts'],
    timeoutSeconds: 120,
    memoryMb: 1024,
  }),
  task({
    name: 'CollectValidation',
    description: "records the sandbox validators' verdict on a skill or codify patch, or a CDK app's fix",
    fn: collectValidation,
    ports: ['ledger', 'artifacts'],
    timeoutSeconds: 60,
    memoryMb: 512,
  }),
  task({
    name: 'CheckPolicy',
    description: 'guardrail on the diff, then the autonomy tier',
    fn: checkPolicy,
    ports: ['ledger', 'artifacts'],
    timeoutSeconds: 60,
    memoryMb: 1024,
  }),
  task({
    name: 'RequestApproval',
    description: 'stores the approval and asks the approvers',
    fn: requestApproval,
    ports: ['ledger', 'artifacts', 'approvals'],
    timeoutSeconds: 30,
    memoryMb: 256,
    waitForTaskToken: true,
  }),
  task({
    name: 'OpenPullRequest',
    description: 'branch, commit and pull request, idempotent by branch',
    fn: openPullRequest,
    ports: ['ledger', 'artifacts', 'pullRequests'],
    timeoutSeconds: 120,
    memoryMb: 512,
  }),
  task({
    name: 'Record',
    description: "the finding's outcome, recorded",
    fn: record,
    ports: ['ledger', 'findingUpdates', 'artifacts'],
    timeoutSeconds: 20,
    memoryMb: 256,
  }),
  task({
    name: 'RecordFailure',
    description: 'any error: the finding fails, recorded, claimable again',
    fn: recordFailure,
    ports: ['ledger', 'artifacts'],
    timeoutSeconds: 20,
    memoryMb: 256,
  }),
  task({ name: 'Notify', description: 'tells the team', fn: notify, ports: ['ledger'], timeoutSeconds: 20, memoryMb: 256 }),
] as const satisfies readonly TaskSpec[];

export type TaskName = (typeof TASKS)[number]['name'];

export function taskSpec(name: string): TaskSpec | undefined {
  return TASKS.find((t) => t.name === name);
}
