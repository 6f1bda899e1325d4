/**
 * Where work goes when AWS cannot deliver it, in the synthesized template: every asynchronous path
 * into cloudmend (EventBridge rules, Scheduler schedules, the batching queue, asynchronously
 * invoked functions) ends in the dead-letter queue of its message shape (lib/dead-letters.ts),
 * which those services may write to, which is encrypted, and whose first message raises the alarm.
 * (test/lib/cloudmend.test.ts checks the retry policies.)
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../lib/fixture.js';

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}
type Ref = { Ref: string } | { 'Fn::GetAtt': [string, string] };

let template: Template;
let resources: Record<string, Resource>;
/** The dead-letter queues by shape: Events, Batches, Schedules, Sweeps. */
let dlq: Record<string, string>;
beforeAll(() => {
  template = build().template;
  resources = (template.toJSON() as { Resources: Record<string, Resource> }).Resources;
  const queues = Object.keys(ofType('AWS::SQS::Queue')).filter((id) => /DeadLetters/.test(id));
  dlq = Object.fromEntries(queues.map((id) => [/DeadLetters(Events|Batches|Schedules|Sweeps)/.exec(id)?.[1] ?? id, id]));
  expect(Object.keys(dlq).sort()).toEqual(['Batches', 'Events', 'Schedules', 'Sweeps']);
}, 120_000);

function ofType(type: string): Record<string, Resource> {
  return Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type === type));
}
const arnOf = (id: string): Ref => ({ 'Fn::GetAtt': [id, 'Arn'] });
/** The logical id a `Ref` or `Fn::GetAtt` points at. */
const idOf = (ref: unknown): string | undefined => (ref as { Ref?: string }).Ref ?? (ref as { 'Fn::GetAtt'?: [string] })['Fn::GetAtt']?.[0];
const policyOf = (queue: string): Resource | undefined =>
  Object.values(ofType('AWS::SQS::QueuePolicy')).find((p) => (p.Properties.Queues as unknown[]).some((q) => idOf(q) === queue));

interface Target {
  readonly Arn: unknown;
  readonly DeadLetterConfig?: { readonly Arn: unknown };
}
const ruleTargets = (): [string, Target][] =>
  Object.entries(ofType('AWS::Events::Rule')).flatMap(([id, r]) =>
    (r.Properties.Targets as Target[]).map((t) => [id, t] as [string, Target]),
  );
const scheduleTargets = (): [string, Target][] =>
  Object.entries(ofType('AWS::Scheduler::Schedule')).map(([id, s]) => [id, s.Properties.Target as Target]);

/** Functions something invokes asynchronously: targets of rules and schedules, and those services' permissions. */
function asyncInvoked(): Set<string> {
  const functions = new Set(Object.keys(ofType('AWS::Lambda::Function')));
  const invoked = [...ruleTargets(), ...scheduleTargets()]
    .map(([, t]) => idOf(t.Arn))
    .filter((id): id is string => id !== undefined && functions.has(id));
  const asyncPrincipals = /^(events|scheduler|sns|s3|logs|iot|ses|cloudwatch)\.amazonaws\.com$/;
  for (const p of Object.values(ofType('AWS::Lambda::Permission'))) {
    const id = idOf(p.Properties.FunctionName);
    if (id && asyncPrincipals.test(String(p.Properties.Principal))) invoked.push(id);
  }
  return new Set(invoked);
}

describe('dead letters', () => {
  it('keeps events a rule could not deliver in the events queue, schedules Scheduler could not start in the schedules queue', () => {
    expect(ruleTargets().length).toBeGreaterThanOrEqual(3);
    for (const [id, target] of ruleTargets()) expect(target.DeadLetterConfig?.Arn, id).toEqual(arnOf(dlq.Events!));
    expect(scheduleTargets().length).toBeGreaterThanOrEqual(2);
    for (const [id, target] of scheduleTargets()) expect(target.DeadLetterConfig?.Arn, id).toEqual(arnOf(dlq.Schedules!));
  });

  it('redrives the batching queue into the batches queue, the one it can be redriven back from', () => {
    const sources = Object.entries(ofType('AWS::SQS::Queue')).filter(([id]) => !Object.values(dlq).includes(id));
    expect(sources).toHaveLength(1);
    for (const [id, queue] of sources)
      expect(queue.Properties.RedrivePolicy, id).toMatchObject({ deadLetterTargetArn: arnOf(dlq.Batches!) });
  });

  it('keeps what an asynchronously invoked function failed to do, after Lambda’s retries, in the sweeps queue', () => {
    const invoked = asyncInvoked();
    expect(invoked.size).toBeGreaterThanOrEqual(2);
    const configs = Object.values(ofType('AWS::Lambda::EventInvokeConfig'));
    for (const fn of invoked) {
      const config = configs.find((c) => idOf(c.Properties.FunctionName) === fn);
      const deadLetter = (resources[fn]?.Properties.DeadLetterConfig as { TargetArn?: unknown } | undefined)?.TargetArn;
      const onFailure = (config?.Properties.DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined)?.OnFailure
        ?.Destination;
      expect(onFailure ?? deadLetter, fn).toEqual(arnOf(dlq.Sweeps!));
    }
  });

  it('lets EventBridge (for each rule, by queue policy), Scheduler and those functions (by their roles) write to their queues', () => {
    const statements = (
      policyOf(dlq.Events!)?.Properties.PolicyDocument as {
        Statement: { Effect: string; Principal: unknown; Action: unknown; Condition?: { ArnEquals?: { 'aws:SourceArn': unknown } } }[];
      }
    ).Statement;
    const fromEvents = statements.filter(
      (s) => s.Effect === 'Allow' && JSON.stringify(s.Principal) === JSON.stringify({ Service: 'events.amazonaws.com' }),
    );
    const rules = [...new Set(ruleTargets().map(([id]) => id))];
    expect(fromEvents.map((s) => idOf(s.Condition?.ArnEquals?.['aws:SourceArn'])).sort()).toEqual(rules.sort());
    for (const s of fromEvents) expect(s.Action).toBe('sqs:SendMessage');
    expect(statements.filter((s) => s.Effect === 'Allow').length).toBe(fromEvents.length);

    // Scheduler sends as the schedules' role; functions as their own roles.
    const sendersTo = (queue: string): string[] =>
      [
        ...new Set(
          Object.values(ofType('AWS::IAM::Policy'))
            .filter((p) =>
              (p.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement.some(
                (s) => [s.Action].flat().includes('sqs:SendMessage') && idOf(s.Resource) === queue,
              ),
            )
            .flatMap((p) => (p.Properties.Roles as unknown[]).map(idOf)),
        ),
      ] as string[];
    expect(sendersTo(dlq.Schedules!)).toEqual(
      expect.arrayContaining([...new Set(scheduleTargets().map(([, t]) => idOf((t as unknown as { RoleArn: unknown }).RoleArn)))]),
    );
    expect(sendersTo(dlq.Sweeps!)).toEqual(
      expect.arrayContaining([...asyncInvoked()].map((fn) => idOf((resources[fn]?.Properties as { Role: unknown }).Role))),
    );
  });

  it('are encrypted, refuse plain HTTP and keep messages 14 days', () => {
    for (const queue of Object.values(dlq)) {
      const properties = resources[queue]?.Properties ?? {};
      expect(properties.SqsManagedSseEnabled === true || properties.KmsMasterKeyId !== undefined, queue).toBe(true);
      expect(properties.MessageRetentionPeriod, queue).toBe(14 * 86_400);
      expect(JSON.stringify(policyOf(queue)?.Properties.PolicyDocument), queue).toContain(
        '{"Action":"sqs:*","Condition":{"Bool":{"aws:SecureTransport":"false"}},"Effect":"Deny"',
      );
    }
  });

  it('raise an alarm to the alarm topic as soon as one holds a message, and another before SQS would drop it', () => {
    for (const queue of Object.values(dlq)) {
      const alarms = Object.values(ofType('AWS::CloudWatch::Alarm')).filter((a) =>
        JSON.stringify(a.Properties.Dimensions ?? []).includes(`"${queue}"`),
      );
      const byMetric = Object.fromEntries(alarms.map((a) => [a.Properties.MetricName as string, a.Properties]));
      expect(Object.keys(byMetric).sort(), queue).toEqual(['ApproximateAgeOfOldestMessage', 'ApproximateNumberOfMessagesVisible']);
      const common = {
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        Period: 300,
      };
      expect(byMetric.ApproximateNumberOfMessagesVisible).toMatchObject({ ...common, Threshold: 1 });
      expect(byMetric.ApproximateAgeOfOldestMessage).toMatchObject({ ...common, Threshold: 7 * 86_400 });
      for (const alarm of alarms) {
        const actions = alarm.Properties.AlarmActions as unknown[];
        expect(actions.map(idOf)).toEqual([expect.stringMatching(/Alarms/)]);
        expect(resources[idOf(actions[0]) ?? '']?.Type).toBe('AWS::SNS::Topic');
      }
    }
  });
});
