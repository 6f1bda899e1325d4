import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { aslText, definition, placeholders, substitute, type PlaceholderKind } from '../../src/workflow/asl.js';
import { TASKS } from '../../src/workflow/tasks.js';

type State = {
  Type: string;
  Resource?: string;
  Choices?: unknown[];
  Default?: string;
  TimeoutSeconds?: number;
  Retry?: unknown[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Parameters?: { FunctionName?: string };
  ResultPath?: string | null;
  Next?: string;
};

const arn = (name: string, kind: PlaceholderKind = 'function'): string =>
  kind === 'function'
    ? `arn:aws:lambda:us-east-1:111122223333:function:cloudmend-${name}`
    : `arn:aws:ecs:us-east-1:111122223333:${kind === 'cluster' ? 'cluster' : 'task-definition'}/cloudmend-${name}`;
const remediate = definition('remediate', arn);

function allStates(def: Record<string, unknown>): [string, State][] {
  const states = Object.entries(def.States as Record<string, State & { ItemProcessor?: Record<string, unknown> }>);
  return states.flatMap(([name, s]) => [[name, s] as [string, State], ...(s.ItemProcessor ? allStates(s.ItemProcessor) : [])]);
}

describe('statemachines/remediate.asl.json', () => {
  it('is valid Amazon States Language once its placeholders are filled', () => {
    const result = aslValidator(remediate);
    expect(result.isValid, result.errorsText('\n')).toBe(true);
  });

  it('uses JSONPath, not JSONata, and no Assign (the local interpreter ignores both)', () => {
    const text = aslText('remediate');
    expect(text).not.toMatch(/JSONata|"Assign"|\{%/);
  });

  it('names every task of the task table exactly once, by its placeholders', () => {
    const text = aslText('remediate');
    for (const [placeholder] of placeholders()) expect(text.split(`\${${placeholder}}`).length - 1, placeholder).toBe(1);
    expect([...text.matchAll(/\$\{([A-Za-z]+)\}/g)].map((m) => m[1]).sort()).toEqual(
      placeholders()
        .map(([p]) => p)
        .sort(),
    );
  });

  it('runs the sandbox as an ECS task and waits for it, passing only artifact keys', () => {
    const state = allStates(remediate).find(([name]) => name === 'Sandbox')?.[1];
    expect(state).toMatchObject({ Resource: 'arn:aws:states:::ecs:runTask.sync', ResultPath: null, Next: 'Collect?' });
    expect(JSON.stringify(state?.Parameters)).toMatch(/"Name":"CLOUDMEND_SANDBOX_INPUT","Value\.\$":"\$\.patch\.sandbox\.input"/);
  });

  it('sends every patch writer to the sandbox when it asks (the agent, or the validators on a skill or codify patch)', () => {
    const states = new Map(allStates(remediate));
    for (const writer of ['ApplySkill', 'CompareDrift', 'RunAgent']) expect(states.get(writer)?.Next, writer).toBe('Sandboxed?');
    expect(states.get('Sandboxed?')).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.patch.status', StringEquals: 'sandbox', Next: 'Sandbox' }],
      Default: 'Patched?',
    });
  });

  it("collects the sandbox's output by its mode: the validators' verdict or a CDK app's fix, or the agent's patch; all go on to the policy", () => {
    const states = new Map(allStates(remediate));
    expect(states.get('Collect?')).toMatchObject({
      Type: 'Choice',
      Choices: [
        { Variable: '$.patch.sandbox.mode', StringEquals: 'validate', Next: 'CollectValidation' },
        { Variable: '$.patch.sandbox.mode', StringEquals: 'cdk', Next: 'CollectValidation' },
      ],
      Default: 'CollectAgent',
    });
    for (const collector of ['CollectValidation', 'CollectAgent'])
      expect(states.get(collector), collector).toMatchObject({ Resource: arn(collector), ResultPath: '$.patch', Next: 'Patched?' });
  });

  it.each(allStates(remediate).filter(([, s]) => s.Type === 'Task'))(
    'gives task %s a timeout above its own, a transient retry and a catch',
    (name, state) => {
      const spec = TASKS.find((t) => t.name === name);
      expect(spec, `${name} is not in the task table`).toBeDefined();
      expect(state.TimeoutSeconds ?? 0).toBeGreaterThan(spec?.timeoutSeconds ?? Infinity);
      expect(JSON.stringify(state.Retry)).toContain('cloudmend.Transient');
      expect(JSON.stringify(state.Retry)).toContain('"JitterStrategy":"FULL"');
      expect(state.Catch?.some((c) => c.ErrorEquals.includes('States.ALL'))).toBe(true);
    },
  );

  it('waits for the approval with a task token, and catches expiry and rejection apart from failures', () => {
    const approval = allStates(remediate).find(([name]) => name === 'RequestApproval')?.[1];
    expect(approval).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: arn('RequestApproval') },
    });
    expect(approval?.Catch?.map((c) => [c.ErrorEquals, c.Next])).toEqual([
      [['States.Timeout', 'cloudmend.Expired'], 'Record'],
      [['cloudmend.Rejected', 'cloudmend.Revert', 'cloudmend.Ignore'], 'Record'],
      [['States.ALL'], 'RecordFailure'],
    ]);
  });

  it('bounds the Map concurrency', () => {
    expect((remediate.States as Record<string, { MaxConcurrency?: number }>).Findings?.MaxConcurrency).toBeGreaterThan(0);
  });

  describe('OpenPullRequest, reserved a few concurrent runs that every execution shares', () => {
    type Retrier = {
      ErrorEquals: string[];
      IntervalSeconds: number;
      MaxAttempts: number;
      BackoffRate: number;
      MaxDelaySeconds: number;
      JitterStrategy: string;
    };
    const retry = (new Map(allStates(remediate)).get('OpenPullRequest')?.Retry ?? []) as Retrier[];
    /** The retrier Step Functions uses for `error`: the first that names it. */
    const retrierOf = (error: string): Retrier | undefined => retry.find((r) => r.ErrorEquals.includes(error));
    /** Seconds waited over all attempts on average: full jitter waits uniformly up to each capped delay. */
    const meanWait = (r: Retrier): number =>
      Array.from({ length: r.MaxAttempts }, (_, k) => Math.min(r.IntervalSeconds * r.BackoffRate ** k, r.MaxDelaySeconds) / 2).reduce(
        (a, b) => a + b,
        0,
      );

    it('retries throttling for minutes, spread by full jitter, not four times in a minute', () => {
      const throttled = retrierOf('Lambda.TooManyRequestsException');
      expect(throttled).toMatchObject({ ErrorEquals: ['Lambda.TooManyRequestsException'], JitterStrategy: 'FULL' });
      expect(throttled!.MaxAttempts).toBeGreaterThanOrEqual(10);
      expect(meanWait(throttled!)).toBeGreaterThanOrEqual(5 * 60);
    });

    it('waits out a GitHub rate limit (cloudmend.Transient; GitHub asks for a minute or more)', () => {
      const transient = retrierOf('cloudmend.Transient');
      expect(transient?.JitterStrategy).toBe('FULL');
      expect(meanWait(transient!)).toBeGreaterThanOrEqual(2 * 60);
    });
  });

  it('refuses a placeholder it has no value for', () => {
    expect(() => substitute('{"Resource": "${Missing}"}', {})).toThrow(/\$\{Missing\} has no value/);
  });
});
