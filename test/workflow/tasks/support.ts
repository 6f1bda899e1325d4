/**
 * The workflow's tasks called one by one, as the state machine would call them, on a real git
 * repository, a real SQLite ledger and the local adapters (test/local/fixture.ts), each through its
 * entry in the task table with only the ports it declares.
 */
import type { LocalContext } from '../../../src/local/setup.js';
import { scopedContext, type TaskContext } from '../../../src/workflow/context.js';
import { carried } from '../../../src/workflow/stored.js';
import { taskSpec, type TaskName } from '../../../src/workflow/tasks.js';
import type { FindingOutcome, IterationState, NormalizeOutput, WorkItem } from '../../../src/workflow/types.js';
import { ACCOUNT, asffFinding, importedEvent, REGION } from '../../support/events.js';
import { makeWorld, type World } from '../../local/fixture.js';

type Json = ReturnType<typeof asffFinding>;

export interface TaskWorld {
  readonly world: World;
  readonly ctx: TaskContext;
  /** Runs task `name` from the task table on `input`, with only its declared ports. */
  run<Out>(name: TaskName, input: unknown): Promise<Out>;
  close(): Promise<void>;
}

/** Tier pull_request unless a test says otherwise: the chain runs without an approval. */
export async function taskWorld(
  files: Record<string, string>,
  configExtra = 'policy: { default: pull_request }\n',
  iac?: Parameters<typeof makeWorld>[2],
): Promise<TaskWorld> {
  const world = await makeWorld(configExtra, files, iac);
  let local: LocalContext;
  try {
    local = await world.open();
  } catch (error) {
    world.cleanup();
    throw error;
  }
  const { ctx } = local;
  return {
    world,
    ctx,
    run: async <Out>(name: TaskName, input: unknown): Promise<Out> => {
      const spec = taskSpec(name)!;
      const fn = spec.fn as (input: unknown, ctx: TaskContext) => Promise<Out>;
      // What Lambda hands the state machine: JSON (dates as strings, no undefined).
      return JSON.parse(JSON.stringify(await fn(input, scopedContext(ctx, name, spec.ports)))) as Out;
    },
    close: async () => {
      await local.close();
      world.cleanup();
    },
  };
}

/** One work item of every finding of `findings` (an imported event), as a batch would make it; n = 1 for one finding. */
export async function workItem(t: TaskWorld, findings: readonly Json[], batchId?: string): Promise<WorkItem> {
  const out = await t.run<NormalizeOutput>('Normalize', importedEvent([...findings]));
  const all = (await Promise.all(out.items.map((i) => carried(t.ctx.artifacts, i.findings)))).flat();
  return { ...out.items[0]!, size: all.length, findings: all, ...(batchId === undefined ? {} : { batchId }) };
}

/** An ASFF finding of `control` on security group `name`. */
export function groupFinding(control: string, name = 'web'): Json {
  return asffFinding({
    control,
    Title: `${control}: security groups should not allow unrestricted ingress`,
    Resources: [
      {
        Type: 'AwsEc2SecurityGroup',
        Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-0123456789abcdef0`,
        Partition: 'aws',
        Region: REGION,
        Details: { AwsEc2SecurityGroup: { GroupName: name, GroupId: 'sg-0123456789abcdef0' } },
      },
    ],
  });
}

/** An ASFF finding of `control` on bucket `name`. */
export function bucketFinding(control: string, name = 'acme-logs'): Json {
  return asffFinding({
    control,
    Title: `${control}: S3 general purpose buckets`,
    Resources: [
      { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${name}`, Partition: 'aws', Region: REGION, Details: { AwsS3Bucket: { Name: name } } },
    ],
  });
}

/**
 * Claim, Locate, ApplySkill, CheckPolicy, OpenPullRequest and Record on `item`, as the state
 * machine chains them (its Choices: claimed, found, patched, allowed; validators off, tier
 * pull_request): the state at the end, and the outcome.
 */
export async function remediate(t: TaskWorld, item: WorkItem): Promise<{ state: IterationState; outcome: FindingOutcome }> {
  let state: IterationState = { ...item };
  const end = async () => ({ state, outcome: await t.run<FindingOutcome>('Record', state) });
  state = { ...state, claim: await t.run('Claim', state) };
  if (state.claim?.status !== 'claimed') return end();
  state = { ...state, target: await t.run('Locate', state) };
  if (!state.target?.found) return end();
  state = { ...state, patch: await t.run('ApplySkill', state) };
  if (state.patch?.status !== 'patched') return end();
  state = { ...state, policy: await t.run('CheckPolicy', state) };
  if (!state.policy?.allowed) return end();
  state = { ...state, pullRequest: await t.run('OpenPullRequest', state) };
  return end();
}
