/**
 * Where work goes when AWS cannot deliver it, in the synthesized template: every asynchronous path
 * into cloudmend (EventBridge rules, Scheduler schedules, queues, asynchronously invoked functions)
 * ends in the one dead-letter queue, which those services may write to, which is encrypted, and
 * whose first message raises the alarm. (test/lib/cloudmend.test.ts checks the retry policies.)
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
let dlq: string;
beforeAll(() => {
  template = build().template;
  resources = (template.toJSON() as { Resources: Record<string, Resource> }).Resources;
  const queues = Object.keys(ofType('AWS::SQS::Queue')).filter((id) => /DeadLetters/.test(id));
  expect(queues).toHaveLength(1);
  dlq = queues[0] ?? '';
}, 120_000);

function ofType(type: string): Record<string, Resource> {
  return Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type === type));
}
const arnOf = (id: string): Ref => ({ 'Fn::GetAtt': [id, 'Arn'] });
/** The logical id a `Ref` or `Fn::GetAtt` points at. */
const idOf = (ref: unknown): string | undefined => (ref as { Ref?: string }).Ref ?? (ref as { 'Fn::GetAtt'?: [string] })['Fn::GetAtt']?.[0];

interface Target {
  readonly Arn: unknown;
  readonly DeadLetterConfig?: { readonly Arn: unknown };
}
const ruleTargets = (): [string, Target][] => Object.entries(ofType('AWS::Events::Rule')).flatMap(([id, r]) => (r.Properties.Targets as Target[]).map((t) => [id, t] as [string, Target]));
const scheduleTargets = (): [string, Target][] => Object.entries(ofType('AWS::Scheduler::Schedule')).map(([id, s]) => [id, s.Properties.Target as Target]);

/** Functions something invokes asynchronously: targets of rules and schedules, and those services' permissions. */
function asyncInvoked(): Set<string> {
  const functions = new Set(Object.keys(ofType('AWS::Lambda::Function')));
  const invoked = [...ruleTargets(), ...scheduleTargets()].map(([, t]) => idOf(t.Arn)).filter((id): id is string => id !== undefined && functions.has(id));
  const asyncPrincipals = /^(events|scheduler|sns|s3|logs|iot|ses|cloudwatch)\.amazonaws\.com$/;
  for (const p of Object.values(ofType('AWS::Lambda::Permission'))) {
    const id = idOf(p.Properties.FunctionName);
    if (id && asyncPrincipals.test(String(p.Properties.Principal))) invoked.push(id);
  }
  return new Set(invoked);
}

describe('dead letters', () => {
  it('sends what every rule target and every schedule could not deliver to the one dead-letter queue', () => {
    const targets = [...ruleTargets(), ...scheduleTargets()];
    expect(targets.length).toBeGreaterThanOrEqual(5);
    for (const [id, target] of targets) expect(target.DeadLetterConfig?.Arn, id).toEqual(arnOf(dlq));
  });

  it('redrives every other queue into the dead-letter queue', () => {
    for (const [id, queue] of Object.entries(ofType('AWS::SQS::Queue')).filter(([qid]) => qid !== dlq)) {
      expect(queue.Properties.RedrivePolicy, id).toMatchObject({ deadLetterTargetArn: arnOf(dlq) });
    }
  });

  it('keeps what an asynchronously invoked function failed to do, after Lambda’s retries, in the dead-letter queue', () => {
    const invoked = asyncInvoked();
    expect(invoked.size).toBeGreaterThanOrEqual(2);
    const configs = Object.values(ofType('AWS::Lambda::EventInvokeConfig'));
    for (const fn of invoked) {
      const config = configs.find((c) => idOf(c.Properties.FunctionName) === fn);
      const deadLetter = (resources[fn]?.Properties.DeadLetterConfig as { TargetArn?: unknown } | undefined)?.TargetArn;
      const onFailure = (config?.Properties.DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined)?.OnFailure?.Destination;
      expect(onFailure ?? deadLetter, fn).toEqual(arnOf(dlq));
    }
  });

  it('lets EventBridge (for each rule, by queue policy), Scheduler and those functions (by their roles) write to it', () => {
    const policy = Object.values(ofType('AWS::SQS::QueuePolicy')).find((p) => (p.Properties.Queues as unknown[]).some((q) => idOf(q) === dlq));
    const statements = (policy?.Properties.PolicyDocument as { Statement: { Effect: string; Principal: unknown; Action: unknown; Condition?: { ArnEquals?: { 'aws:SourceArn': unknown } } }[] }).Statement;
    const fromEvents = statements.filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Principal) === JSON.stringify({ Service: 'events.amazonaws.com' }));
    const rules = [...new Set(ruleTargets().map(([id]) => id))];
    expect(fromEvents.map((s) => idOf(s.Condition?.ArnEquals?.['aws:SourceArn'])).sort()).toEqual(rules.sort());
    for (const s of fromEvents) expect(s.Action).toBe('sqs:SendMessage');
    expect(statements.filter((s) => s.Effect === 'Allow').length).toBe(fromEvents.length);

    // Scheduler sends as the schedules' role; functions as their own roles.
    const senders = Object.values(ofType('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement.some((s) => [s.Action].flat().includes('sqs:SendMessage') && idOf(s.Resource) === dlq))
      .flatMap((p) => (p.Properties.Roles as unknown[]).map(idOf));
    const roles = scheduleTargets().map(([, t]) => idOf((t as unknown as { RoleArn: unknown }).RoleArn));
    for (const fn of asyncInvoked()) roles.push(idOf((resources[fn]?.Properties as { Role: unknown }).Role));
    expect([...new Set(senders)].sort()).toEqual(expect.arrayContaining([...new Set(roles)].sort()));
  });

  it('is encrypted, refuses plain HTTP and keeps messages 14 days', () => {
    const queue = resources[dlq]?.Properties ?? {};
    expect(queue.SqsManagedSseEnabled === true || queue.KmsMasterKeyId !== undefined).toBe(true);
    expect(queue.MessageRetentionPeriod).toBe(14 * 86_400);
    const policy = Object.values(ofType('AWS::SQS::QueuePolicy')).find((p) => (p.Properties.Queues as unknown[]).some((q) => idOf(q) === dlq));
    expect(JSON.stringify(policy?.Properties.PolicyDocument)).toContain('{"Action":"sqs:*","Condition":{"Bool":{"aws:SecureTransport":"false"}},"Effect":"Deny"');
  });

  it('raises the alarm to the alarm topic as soon as it holds one message', () => {
    const alarms = Object.values(ofType('AWS::CloudWatch::Alarm')).filter((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes(`"${dlq}"`));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      Period: 300,
    });
    const actions = alarms[0]?.Properties.AlarmActions as unknown[];
    expect(actions.map(idOf)).toEqual([expect.stringMatching(/Alarms/)]);
    expect(resources[idOf(actions[0]) ?? '']?.Type).toBe('AWS::SNS::Topic');
  });
});
