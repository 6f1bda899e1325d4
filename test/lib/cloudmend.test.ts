/** The Cloudmend construct's resources, one behaviour per test (bundling skipped: see fixture.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { driftScanTargets } from '../../lib/drift-scan.js';
import { MemberStack, memberTemplate } from '../../lib/organization.js';
import { CUSTOM_ACTION_NAME, deployedTriggers } from '../../lib/triggers.js';
import { entryOf, PULL_REQUEST_CONCURRENCY } from '../../lib/workflow.js';
import { ENV } from '../../src/aws/environment.js';
import { LEDGER_TABLE_SCHEMA } from '../../src/ledger/dynamodb-schema.js';
import { matchEventPattern } from '../../src/triggers/event-pattern.js';
import { triggersFor } from '../../src/triggers/patterns.js';
import { aslText, placeholders } from '../../src/workflow/asl.js';
import { METRIC } from '../../src/workflow/metrics.js';
import { TASKS } from '../../src/workflow/tasks.js';
import { dockerfileStages, volumes } from '../support/dockerfile.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { build, exampleConfig, exampleStack, type Built } from './fixture.js';

let template: Template;
let built: Built;
const config = exampleConfig();
const LAMBDA_TASKS = TASKS.filter((t) => !t.sandbox);

beforeAll(() => {
  built = exampleStack();
  template = built.template;
}, 60_000);

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
const resources = (type: string, from: Template = template): Resources => from.findResources(type) as Resources;
const only = <T>(record: Record<string, T>): T => {
  const values = Object.values(record);
  expect(values).toHaveLength(1);
  return values[0]!;
};
/** The statements of the policies attached to the role whose logical id starts with `rolePrefix`. */
function statementsOf(rolePrefix: string, from: Template = template): { Action: string | string[]; Resource: unknown }[] {
  const policies = Object.values(resources('AWS::IAM::Policy', from)).filter((p) =>
    (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref.startsWith(rolePrefix)),
  );
  return policies.flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement,
  );
}
/** The state machine whose logical id starts with `prefix`. */
function stateMachine(prefix: string): Resources[string] {
  return only(Object.fromEntries(Object.entries(resources('AWS::StepFunctions::StateMachine')).filter(([id]) => id.startsWith(prefix))));
}
/** The logical id a `Ref` or `Fn::GetAtt` points at. */
const idOf = (ref: unknown): string | undefined => (ref as { Ref?: string }).Ref ?? (ref as { 'Fn::GetAtt'?: [string] })['Fn::GetAtt']?.[0];
const actionsOf = (rolePrefix: string): string[] =>
  statementsOf(rolePrefix)
    .flatMap((s) => [s.Action].flat())
    .sort();

describe('functions', () => {
  it('builds one ARM64 nodejs22.x function per task of the task table, with its memory and timeout', () => {
    for (const task of LAMBDA_TASKS) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: `cloudmend ${entryOf(task.name)}: ${task.description}`,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: task.memoryMb,
        Timeout: task.timeoutSeconds,
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
      });
    }
  });

  it('builds the Slack endpoint, approval expiry, stuck-finding sweep, backfill and batching functions beside them', () => {
    for (const entry of ['slack-interactions', 'approval-expiry', 'sweep', 'backfill', 'batch-findings']) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp(`^cloudmend ${entry}: `),
        Runtime: 'nodejs22.x',
      });
    }
    expect(Object.keys(resources('AWS::Lambda::Function')).filter((id) => !id.startsWith('CustomVpcRestrictDefaultSG'))).toHaveLength(
      LAMBDA_TASKS.length + 5,
    );
  });

  it("grants each task function exactly its ports' permissions", () => {
    expect([...new Set(actionsOf('CloudmendRemediateClaimRole'))]).toEqual(
      // The artifacts: a batch's members travel there, not in the state; the GitHub App's secret: Claim
      // reads where the open pull requests of its resources stand, and retires the closed ones.
      [
        'dynamodb:ConditionCheckItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'kms:Decrypt',
        'kms:Encrypt',
        'kms:GenerateDataKey',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:GetObject',
        's3:PutObject',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    expect(actionsOf('CloudmendRemediateRecordRole')).toContain('securityhub:BatchUpdateFindings');
    // One action for both APIs: BatchUpdateFindings on the CSPM hub, BatchUpdateFindingsV2 on the v2 hub.
    const writeBack = statementsOf('CloudmendRemediateRecord').find((st) => st.Action === 'securityhub:BatchUpdateFindings');
    expect(JSON.stringify(writeBack?.Resource)).toMatch(/:hub\/default".*:hubv2\/\*"/);
    expect(actionsOf('CloudmendRemediateOpenPullRequestRole')).toEqual(
      expect.arrayContaining(['secretsmanager:GetSecretValue', 's3:GetObject', 's3:PutObject']),
    );
    for (const role of ['CloudmendRemediateRecordRole', 'CloudmendRemediateNotifyRole'])
      expect(actionsOf(role).filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
    expect(actionsOf('CloudmendRemediateNotifyRole').filter((a) => a.startsWith('s3:'))).toEqual([]);
    expect(actionsOf('CloudmendRemediateRequestApprovalRole')).not.toContain('securityhub:BatchUpdateFindings');
  });

  it('gives no function a delete, scan or wildcard action', () => {
    const roles = Object.keys(resources('AWS::IAM::Role')).filter((id) =>
      /^Cloudmend(Remediate(?!StateMachine)|Operations)\w+Role[0-9A-F]{8}$/.test(id),
    );
    // The task functions, the four operations functions, and the scheduler's role.
    expect(roles.length).toBe(LAMBDA_TASKS.length + 5);
    const actions = roles.flatMap((role) => actionsOf(role));
    expect(actions.filter((a) => /Delete|Scan|\*/.test(a))).toEqual([]);
  });

  it('tells each function where its ports are through the environment, never a secret value', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^cloudmend open-pull-request'),
      ReservedConcurrentExecutions: 4,
      Environment: {
        Variables: Match.objectLike({
          [ENV.ledgerTable]: Match.anyValue(),
          [ENV.artifactsBucket]: Match.anyValue(),
          [ENV.githubSecretArn]: { Ref: Match.stringLikeRegexp('GitHubSecret') },
        }),
      },
    });
    const env = JSON.stringify(Object.values(resources('AWS::Lambda::Function')).map((f) => f.Properties.Environment));
    expect(env).not.toMatch(/xoxb-|PRIVATE KEY|ghp_/);
  });
});

describe('remediate state machine', () => {
  it('is the ASL file with every task placeholder filled from the task table', () => {
    const sm = stateMachine('CloudmendRemediateStateMachine');
    expect(Object.keys(sm.Properties.DefinitionSubstitutions as object).sort()).toEqual(
      placeholders()
        .map(([p]) => p)
        .sort(),
    );
    expect(sm.Properties.DefinitionString).toBe(aslText('remediate'));
  });

  it('logs every state without execution data, and traces with X-Ray', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });

  it("reserves OpenPullRequest at least the Map's concurrency, so one execution alone is never throttled", () => {
    const map = (JSON.parse(aslText('remediate')) as { States: { Findings: { MaxConcurrency: number } } }).States.Findings;
    const fn = Object.entries(resources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('CloudmendRemediateOpenPullRequestFunction'),
    )?.[1];
    expect(fn?.Properties.ReservedConcurrentExecutions).toBe(PULL_REQUEST_CONCURRENCY);
    expect(PULL_REQUEST_CONCURRENCY).toBeGreaterThanOrEqual(map.MaxConcurrency);
  });

  it('may invoke the task functions by exact ARN and nothing else', () => {
    const invoke = statementsOf('CloudmendRemediateStateMachineRole').find((s) => s.Action === 'lambda:InvokeFunction');
    expect((invoke?.Resource as unknown[]).length).toBe(LAMBDA_TASKS.length);
    expect(JSON.stringify(invoke?.Resource)).not.toContain(':*');
  });

  it('logs to a group under /aws/vendedlogs/states/, as does the drift scan (no Logs resource-policy entry per group)', () => {
    const groups = Object.values(resources('AWS::StepFunctions::StateMachine')).map((sm) => {
      const destination = (sm.Properties.LoggingConfiguration as { Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: unknown } }[] })
        .Destinations[0];
      return resources('AWS::Logs::LogGroup')[idOf(destination?.CloudWatchLogsLogGroup.LogGroupArn) ?? '']?.Properties.LogGroupName;
    });
    expect(groups).toHaveLength(2);
    for (const name of groups)
      expect(JSON.stringify(name)).toMatch(
        /^\{"Fn::Join":\["",\["\/aws\/vendedlogs\/states\/",\{"Ref":"AWS::StackName"\},"-(remediate|drift-scan)-",\{"Fn::Select":\[2,\{"Fn::Split":\["\/",\{"Ref":"AWS::StackId"\}\]\}\]\}\]\]\}$/,
      );
  });
});

describe('alarms', () => {
  type Alarm = {
    AlarmActions: unknown[];
    MetricName?: string;
    Namespace?: string;
    Dimensions?: unknown;
    Metrics?: { Expression?: string; MetricStat?: { Metric: { Dimensions: unknown } } }[];
    EvaluationPeriods: number;
    Threshold: number;
  };
  const alarms = (): Alarm[] => Object.values(resources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as unknown as Alarm);

  it('may be published to the topic by CloudWatch alarms of this account and Region, and only them', () => {
    const policy = only(resources('AWS::SNS::TopicPolicy')).Properties.PolicyDocument as {
      Statement: { Effect: string; Principal?: unknown; Action: unknown; Condition?: unknown }[];
    };
    const allows = policy.Statement.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*'],
              ],
            },
          },
        },
      }),
    ]);
  });

  it('all go to the alarm topic', () => {
    expect(alarms().length).toBeGreaterThan(40);
    for (const alarm of alarms())
      expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^CloudmendAlarms[0-9A-F]{8}$/) as unknown }]);
  });

  it('fire on a finding that ended failed, from the metric the workflow emits', () => {
    expect(alarms()).toContainEqual(
      expect.objectContaining({
        Namespace: 'cloudmend',
        MetricName: METRIC.findingsFailed,
        Dimensions: [{ Name: 'service', Value: 'cloudmend' }],
        Threshold: 1,
      }),
    );
  });

  it('fire on remediate and drift-scan executions that failed, timed out or were aborted', () => {
    const machines = alarms()
      .filter((a) => a.Metrics?.some((m) => m.Expression === 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)'))
      .map((a) => JSON.stringify(a.Metrics?.find((m) => m.MetricStat)?.MetricStat?.Metric.Dimensions));
    expect(machines).toHaveLength(2);
    expect(machines.join()).toMatch(
      /CloudmendRemediateStateMachine.*CloudmendDriftScanStateMachine|CloudmendDriftScanStateMachine.*CloudmendRemediateStateMachine/,
    );
  });

  it("fire on every function's errors, and on throttling that lasts fifteen minutes", () => {
    const functions = Object.keys(resources('AWS::Lambda::Function')).filter((id) => !id.startsWith('CustomVpcRestrictDefaultSG'));
    for (const [metric, periods] of [
      ['Errors', 1],
      ['Throttles', 3],
    ] as const) {
      const watched = alarms()
        .filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === metric)
        .map((a) => {
          expect(a).toMatchObject({ EvaluationPeriods: periods, Threshold: 1 });
          return idOf((a.Dimensions as { Value: unknown }[])[0]?.Value);
        });
      expect(watched.sort(), metric).toEqual(functions.sort());
    }
  });

  it('fire when the batching queue holds a message longer than its visibility timeout', () => {
    const batching = only(
      Object.fromEntries(Object.entries(resources('AWS::SQS::Queue')).filter(([id]) => id.startsWith('CloudmendBatchingQueue'))),
    );
    expect(alarms()).toContainEqual(
      expect.objectContaining({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Threshold: (batching.Properties.VisibilityTimeout as number) + 300,
      }),
    );
  });
});

describe('triggers', () => {
  it('deploys every shared trigger pattern as a rule, unchanged', () => {
    const rules = Object.values(resources('AWS::Events::Rule'));
    const patterns = rules.map((r) => r.Properties.EventPattern);
    for (const trigger of deployedTriggers(config)) expect(patterns).toContainEqual(trigger.pattern);
    expect(rules).toHaveLength(deployedTriggers(config).length);
  });

  it('gives every rule target a dead-letter queue and a retry policy', () => {
    for (const rule of Object.values(resources('AWS::Events::Rule'))) {
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          DeadLetterConfig: { Arn: expect.anything() as unknown },
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        }),
      ]);
    }
  });

  it('does not re-fire on its own Security Hub write-back (workflow NOTIFIED)', () => {
    const imported = deployedTriggers(config).find((t) => t.kind === 'securityhub-imported')!;
    expect(matchEventPattern(imported.pattern, importedEvent([asffFinding()])).matched).toBe(true);
    const echo = importedEvent([
      {
        ...asffFinding(),
        Workflow: { Status: 'NOTIFIED' },
        Note: { Text: 'cloudmend opened a pull request', UpdatedBy: 'cloudmend', UpdatedAt: '2026-01-01T00:00:00Z' },
      },
    ]);
    expect(matchEventPattern(imported.pattern, echo).matched).toBe(false);
  });

  it('creates the Security Hub custom action whose findings the custom-action rule takes', () => {
    template.hasResourceProperties('AWS::SecurityHub::ActionTarget', { Id: config.triggers.customActionId, Name: CUSTOM_ACTION_NAME });
    expect(CUSTOM_ACTION_NAME.length).toBeLessThanOrEqual(20);
  });

  it('schedules the configured sweeps with EventBridge Scheduler, each with a dead-letter queue', () => {
    const schedules = Object.values(resources('AWS::Scheduler::Schedule'));
    expect(schedules.map((s) => s.Properties.ScheduleExpression).sort()).toEqual([
      'cron(0 6 * * ? *)',
      'rate(1 day)',
      'rate(15 minutes)',
      'rate(15 minutes)',
    ]);
    for (const s of schedules)
      expect(s.Properties.Target).toMatchObject({
        DeadLetterConfig: { Arn: expect.anything() as unknown },
        RetryPolicy: { MaximumRetryAttempts: 3 },
      });
  });

  it('sweeps stuck findings every 15 minutes with the ledger alone', () => {
    const sweep = Object.entries(resources('AWS::Lambda::Function')).find(([, f]) =>
      String(f.Properties.Description).startsWith('cloudmend sweep: '),
    );
    const schedule = Object.values(resources('AWS::Scheduler::Schedule')).find(
      (s) => s.Properties.Description === 'cloudmend sweep (cloudmend-sweep)',
    );
    expect(schedule?.Properties).toMatchObject({
      ScheduleExpression: 'rate(15 minutes)',
      Target: { Arn: { 'Fn::GetAtt': [sweep?.[0], 'Arn'] } },
    });
    // The ledger's actions, as Claim has them, and no artifacts: it decides from the ledger alone.
    const ledgerActions = (role: string) => actionsOf(role).filter((a) => a.startsWith('dynamodb:'));
    expect(ledgerActions('CloudmendOperationsSweepRole')).toEqual(ledgerActions('CloudmendRemediateClaimRole'));
    expect(actionsOf('CloudmendOperationsSweepRole').filter((a) => a.startsWith('s3:'))).toEqual([]);
  });
});

describe('batching', () => {
  it('sends imported findings (ASFF and Security Hub v2 OCSF) and the smoke test to the batching queue, every other trigger straight to the workflow', () => {
    const rules = Object.entries(resources('AWS::Events::Rule'));
    const batched = rules.filter(([id]) => id.includes('securityhubimported') || id.includes('smoketest'));
    expect(batched.map(([, rule]) => (rule.Properties.EventPattern as { 'detail-type': string[] })['detail-type']).sort()).toEqual([
      ['Findings Imported V2'],
      ['Security Hub Findings - Imported'],
      ['cloudmend Smoke Test Finding'],
    ]);
    for (const [id, rule] of batched) expect(JSON.stringify(rule.Properties.Targets), id).toMatch(/BatchingQueue/);
    for (const [id, rule] of rules.filter(([id]) => !batched.some(([b]) => b === id)))
      expect(JSON.stringify(rule.Properties.Targets), id).toMatch(/CloudmendRemediateStateMachine/);
  });

  it('hands the function up to 10,000 messages per configured window, with a dead-letter queue behind the queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10_000,
      MaximumBatchingWindowInSeconds: config.batching.windowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    });
  });

  it('may start remediate executions and nothing else', () => {
    const start = statementsOf('CloudmendBatchingBatchFindings').filter((s) => [s.Action].flat().some((a) => a.startsWith('states:')));
    expect(start.map((s) => s.Action)).toEqual(['states:StartExecution']);
    expect(JSON.stringify(start[0]?.Resource)).toMatch(/CloudmendRemediateStateMachine/);
  });
});

describe('drift scan', () => {
  const MEMBER = '444455556666';

  it('is the drift-scan ASL, calling CloudFormation and EventBridge through SDK integrations only (no Lambda)', () => {
    const sm = stateMachine('CloudmendDriftScanStateMachine');
    expect(sm.Properties.DefinitionString).toBe(aslText('drift-scan'));
    const resourcesUsed = [...aslText('drift-scan').matchAll(/"Resource": "([^"]+)"/g)].map((m) => m[1]).sort();
    expect([...new Set(resourcesUsed)]).toEqual([
      'arn:aws:states:::aws-sdk:cloudformation:describeStackDriftDetectionStatus',
      'arn:aws:states:::aws-sdk:cloudformation:describeStackResourceDrifts',
      'arn:aws:states:::aws-sdk:cloudformation:detectStackDrift',
      'arn:aws:states:::events:putEvents',
    ]);
    expect(sm.Properties.DefinitionSubstitutions).toEqual({
      EventBusName: 'default',
      DriftScanRoleArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::{}:role/cloudmend-drift-scan']] },
    });
  });

  it('may assume the drift-scan role of each scanned account and publish to the bus, and nothing else', () => {
    expect(actionsOf('CloudmendDriftScanStateMachineRole')).toEqual([
      'events:PutEvents',
      'logs:CreateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:DescribeLogGroups',
      'logs:DescribeResourcePolicies',
      'logs:GetLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:UpdateLogDelivery',
      'sts:AssumeRole',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    const assume = statementsOf('CloudmendDriftScanStateMachineRole').find((s) => [s.Action].flat().includes('sts:AssumeRole'));
    expect(assume?.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${MEMBER}:role/cloudmend-drift-scan`]],
    });
    const role = only(
      Object.fromEntries(Object.entries(resources('AWS::IAM::Role')).filter(([id]) => id.startsWith('CloudmendDriftScanStateMachineRole'))),
    );
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('has a read-only drift-scan role in its own account, which only its state machine may assume', () => {
    const [id, role] = Object.entries(resources('AWS::IAM::Role')).find(([, r]) => r.Properties.RoleName === 'cloudmend-drift-scan')!;
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toMatch(
      /"ArnEquals":\{"aws:PrincipalArn":\{"Fn::GetAtt":\["CloudmendDriftScanStateMachineRole[0-9A-F]{8}","Arn"\]\}\}/,
    );
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain(':iam::aws:policy/SecurityAudit');
    expect(actionsOf(id)).toEqual([
      'cloudformation:DescribeStackDriftDetectionStatus',
      'cloudformation:DescribeStackResourceDrifts',
      'cloudformation:DescribeStacks',
      'cloudformation:DetectStackDrift',
      'cloudformation:ListStacks',
    ]);
    const detect = statementsOf(id).find((s) => [s.Action].flat().includes('cloudformation:DetectStackDrift'));
    expect(JSON.stringify(detect?.Resource)).toContain('stack/network-prod/*');
    expect(JSON.stringify(detect?.Resource)).toContain('stack/storage-prod/*');
  });

  it('runs on its schedule with the stacks of the CloudFormation repositories, in the accounts they own, as input', () => {
    const schedule = Object.values(resources('AWS::Scheduler::Schedule')).find(
      (s) => s.Properties.ScheduleExpression === 'cron(0 6 * * ? *)',
    );
    const target = schedule?.Properties.Target as { Arn: { Ref: string }; Input: string };
    expect(target.Arn.Ref).toMatch(/^CloudmendDriftScanStateMachine/);
    expect(JSON.parse(target.Input)).toEqual({
      stacks: [
        { stackName: 'network-prod', account: MEMBER },
        { stackName: 'storage-prod', account: MEMBER },
      ],
    });
  });

  it('scans each stack in every account its repository owns, "*" being the deploying account', () => {
    const both = exampleConfig((t) => t.replace('accounts: ["444455556666"]', 'accounts: ["444455556666", "*"]'));
    expect(driftScanTargets(both, '123456789012').map((t) => `${t.stackName}@${t.account}`)).toEqual([
      'network-prod@123456789012',
      'network-prod@444455556666',
      'storage-prod@123456789012',
      'storage-prod@444455556666',
    ]);
  });

  it('warns that the drift-scan role must be created in the other accounts when no organization deploys it', () => {
    const warnings = (stack: Built['stack']): string =>
      stack.node
        .findAll()
        .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data)))
        .join('\n');
    expect(warnings(built.stack)).toMatch(/assumes the role cloudmend-drift-scan in account 444455556666, which nothing here creates/);
    expect(warnings(orgBuild().stack)).not.toMatch(/cloudmend-drift-scan/);
  });

  it('is left out, with a warning, when no CloudFormation stack is named', () => {
    const noStacks = exampleConfig((t) =>
      t.replace(/    templates:\n      network-prod: templates\/network.yaml\n      storage-prod: templates\/storage.yaml\n/, ''),
    );
    const { template: t, stack } = build({ config: noStacks });
    expect(Object.keys(t.findResources('AWS::StepFunctions::StateMachine'))).toHaveLength(1);
    const warnings = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data)));
    expect(warnings.join('\n')).toMatch(/drift-scan schedule needs CloudFormation stacks/);
  });
});

/** The stack built with an organization in the config, and its StackSet's member template. */
const ORGANIZATION =
  'organization:\n  id: o-a1b2c3d4e5\n  organizationalUnits: [r-ab12, ou-ab12-cdef3456]\n  regions: [us-east-1, eu-west-1]\n';
const orgConfig = exampleConfig((t) => `${t}\n${ORGANIZATION}`);
type CfnResource = { Type: string; Properties: Record<string, unknown>; Condition?: string };
type CfnTemplate = { Parameters: Record<string, unknown>; Conditions: Record<string, unknown>; Resources: Record<string, CfnResource> };
let withOrganization: Built | undefined;
const orgBuild = (): Built => (withOrganization ??= build({ config: orgConfig }));
const stackSet = (): CfnResource =>
  Object.values(orgBuild().template.findResources('AWS::CloudFormation::StackSet') as Record<string, CfnResource>)[0]!;
const memberOf = (): CfnTemplate => JSON.parse(stackSet().Properties.TemplateBody as string) as CfnTemplate;
const ofType = (t: CfnTemplate, type: string): [string, CfnResource][] => Object.entries(t.Resources).filter(([, r]) => r.Type === type);

describe('organization rollout', () => {
  it('lets the organization’s accounts, and only them, put events on the bus the rules listen on', () => {
    const policies = Object.values(orgBuild().template.findResources('AWS::Events::EventBusPolicy') as Record<string, CfnResource>);
    expect(policies).toHaveLength(1);
    expect(policies[0]?.Properties).toMatchObject({
      EventBusName: 'default',
      Statement: {
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'events:PutEvents',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      },
    });
  });

  it('deploys the member stack as a service-managed StackSet, automatically, to the configured root and OUs and regions', () => {
    expect(stackSet().Properties).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'DELEGATED_ADMIN',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [
        { DeploymentTargets: { OrganizationalUnitIds: ['r-ab12', 'ou-ab12-cdef3456'] }, Regions: ['us-east-1', 'eu-west-1'] },
      ],
    });
    const parameters = Object.fromEntries(
      (stackSet().Properties.Parameters as { ParameterKey: string; ParameterValue: unknown }[]).map((p) => [
        p.ParameterKey,
        p.ParameterValue,
      ]),
    );
    expect(Object.keys(parameters).sort()).toEqual(Object.keys(memberOf().Parameters).sort());
    expect(JSON.stringify(parameters.DriftScanPrincipalArn)).toMatch(/CloudmendDriftScanStateMachineRole[0-9A-F]{8}/);
    expect(JSON.stringify(parameters.AdministratorEventBusArn)).toContain(':event-bus/default');
  });

  it('forwards the AWS Config patterns the stack listens for to the administrator’s bus, through a role that may put events there only', () => {
    const member = memberOf();
    const rules = ofType(member, 'AWS::Events::Rule');
    const forwarded = triggersFor(orgConfig).filter((t) => t.kind === 'config-compliance-change' || t.kind === 'config-item-change');
    expect(rules.map(([, r]) => r.Properties.EventPattern)).toEqual(forwarded.map((t) => t.pattern));
    for (const [, rule] of rules) {
      expect(rule.Properties.Targets).toEqual([
        {
          Arn: { Ref: 'AdministratorEventBusArn' },
          Id: 'Target0',
          RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^ForwardingRole/), 'Arn'] },
        },
      ]);
    }
    const [, policy] = ofType(member, 'AWS::IAM::Policy').find(([id]) => id.startsWith('ForwardingRole'))!;
    expect(policy.Properties.PolicyDocument).toMatchObject({
      Statement: [{ Action: 'events:PutEvents', Effect: 'Allow', Resource: { Ref: 'AdministratorEventBusArn' } }],
    });
    // Not in the administrator's own home region: its rules are on that bus already.
    for (const [, resource] of [...rules, ...ofType(member, 'AWS::IAM::Role').filter(([id]) => id.startsWith('Forwarding'))])
      expect(resource.Condition).toBe('ElsewhereThanTheBus');
  });

  it('creates the read-only drift-scan role once per member account, which only the drift scan’s state machine role may assume', () => {
    const member = memberOf();
    const [roleId, role] = ofType(member, 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === 'cloudmend-drift-scan')!;
    expect(role.Condition).toBe('DriftScanRoleHere');
    expect(JSON.stringify(member.Conditions.DriftScanRoleHere)).toMatch(/HomeRegion.*AdministratorAccount/);
    expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Action: 'sts:AssumeRole', Condition: { ArnEquals: { 'aws:PrincipalArn': { Ref: 'DriftScanPrincipalArn' } } } }],
    });
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('{"Ref":"AdministratorAccount"}');
    const policies = ofType(member, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(roleId));
    const actions = policies.flatMap(([, p]) =>
      (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap((s) => [s.Action].flat()),
    );
    expect(actions.sort()).toEqual([
      'cloudformation:DescribeStackDriftDetectionStatus',
      'cloudformation:DescribeStackResourceDrifts',
      'cloudformation:DescribeStacks',
      'cloudformation:DetectStackDrift',
      'cloudformation:ListStacks',
    ]);
    for (const [, policy] of policies) expect(policy.Condition).toBe('DriftScanRoleHere');
  });

  it('is left out without an organization in the config', () => {
    expect(Object.keys(template.findResources('AWS::Events::EventBusPolicy'))).toEqual([]);
    expect(Object.keys(template.findResources('AWS::CloudFormation::StackSet'))).toEqual([]);
  });

  it('gives member accounts no drift-scan role when there is no drift scan', () => {
    const synthesized = memberTemplate({ config: orgConfig }) as CfnTemplate;
    expect(ofType(synthesized, 'AWS::IAM::Role').map(([id]) => id)).toEqual([expect.stringMatching(/^ForwardingRole/)]);
    expect(Object.keys(synthesized.Parameters)).not.toContain('DriftScanPrincipalArn');
  });

  it('passes cdk-nag’s AWS Solutions checks in the member stack, acknowledged findings aside', () => {
    const app = new App();
    new MemberStack(app, 'Member', { config: orgConfig, driftScanStacks: ['network-prod'] });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});

describe('data', () => {
  it('keeps the ledger in an on-demand, encrypted, point-in-time-recoverable table with TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      TimeToLiveSpecification: { AttributeName: LEDGER_TABLE_SCHEMA.timeToLiveAttribute, Enabled: true },
      DeletionProtectionEnabled: true,
      GlobalSecondaryIndexes: LEDGER_TABLE_SCHEMA.globalSecondaryIndexes.map((i) => Match.objectLike({ IndexName: i.indexName })),
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('keeps artifacts in an encrypted, private, TLS-only bucket that forgets them', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })]) },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('creates the GitHub and Slack secrets empty, for the operator to fill', () => {
    const secrets = Object.values(resources('AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(2);
    for (const s of secrets) expect(s.Properties).toMatchObject({ SecretString: '{}', KmsKeyId: expect.anything() as unknown });
    expect(JSON.stringify(secrets)).not.toContain('GenerateSecretString');
  });

  it('rotates its key', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});

describe('Slack endpoint', () => {
  it('is a Function URL with auth NONE (Slack signs requests; the code verifies every one)', () => {
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^cloudmend slack-interactions'),
      ReservedConcurrentExecutions: 10,
    });
  });

  it('may answer waiting executions and nothing more', () => {
    const actions = actionsOf('CloudmendOperationsSlackInteractionsRole');
    expect(actions).toEqual(expect.arrayContaining(['states:SendTaskSuccess', 'states:SendTaskFailure', 'secretsmanager:GetSecretValue']));
    expect(actions.filter((a) => a.startsWith('states:') && !a.startsWith('states:SendTask'))).toEqual([]);
  });

  it('is an output of the stack, for the Slack app manifest', () => {
    template.hasOutput('SlackInteractivityUrl', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('SlackInteractions.*Url'), 'FunctionUrl'] },
    });
  });
});

describe('sandbox', () => {
  it('runs in isolated subnets: no internet gateway, no NAT gateway', () => {
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
  });

  it('reaches only the endpoints it needs: S3, Bedrock runtime, ECR and CloudWatch Logs', () => {
    const wanted = ['bedrock-runtime', 'ecr.api', 'ecr.dkr', 'logs', 's3'];
    const endpoints = Object.values(resources('AWS::EC2::VPCEndpoint')).map((e) => JSON.stringify(e.Properties.ServiceName));
    expect(endpoints.map((name) => wanted.find((service) => name.includes(`.${service}"`))).sort()).toEqual(wanted);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'cloudmend sandbox: HTTPS to VPC endpoints only',
      SecurityGroupEgress: [Match.objectLike({ FromPort: 443, ToPort: 443 })],
    });
  });

  it('runs non-root with a read-only root file system on ARM64 Fargate, with only the bucket name baked in', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [
        Match.objectLike({
          Name: 'agent',
          User: '1000:1000',
          ReadonlyRootFilesystem: true,
          Environment: [{ Name: ENV.artifactsBucket, Value: Match.anyValue() }],
          MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'scratch', ReadOnly: false }],
        }),
      ],
    });
  });

  it('mounts its scratch volume only where the image declares a VOLUME (else Fargate makes it root-owned and unwritable)', () => {
    const task = only(resources('AWS::ECS::TaskDefinition')).Properties as {
      ContainerDefinitions: { MountPoints: { ContainerPath: string }[] }[];
      Volumes: { Name: string; Host?: unknown }[];
    };
    expect(task.Volumes).toEqual([{ Name: 'scratch' }]);
    const declared = volumes(dockerfileStages().at(-1)!.instructions);
    expect(task.ContainerDefinitions.flatMap((c) => c.MountPoints.map((m) => m.ContainerPath))).toEqual(declared);
  });

  it('runs on x86_64 when asked, its image built for linux/amd64 with the amd64 Terraform provider (no QEMU on an x86 builder)', () => {
    const { app, template: x86 } = build({ props: { sandboxArchitecture: 'x86_64' } });
    x86.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
    });
    const assets = JSON.parse(readFileSync(join(app.synth().directory, 'Cloudmend.assets.json'), 'utf8')) as {
      dockerImages: Record<string, { source: unknown }>;
    };
    expect(Object.values(assets.dockerImages).map((i) => i.source)).toEqual([
      expect.objectContaining({ platform: 'linux/amd64', dockerBuildArgs: { TERRAFORM_PLATFORM: 'linux_amd64' } }),
    ]);
  });

  it('may call the configured model and its own objects, and holds no GitHub credentials', () => {
    const statements = statementsOf('CloudmendSandboxTaskTaskRole');
    expect(statements.flatMap((s) => [s.Action].flat()).sort()).toEqual([
      'bedrock:InvokeModel',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      's3:GetObject',
      's3:PutObject',
    ]);
    expect(JSON.stringify(statements)).toContain('/artifacts/sandbox/input/*');
    expect(JSON.stringify(statements)).toContain('/artifacts/sandbox/output/*');
    expect(JSON.stringify(statements)).toContain('inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0');
    expect(JSON.stringify(statements)).not.toMatch(/GitHubSecret|SlackSecret|secretsmanager/);
  });

  it('is run by the state machine, which may start it, stop it and pass its two roles, nothing more', () => {
    const sm = statementsOf('CloudmendRemediateStateMachineRole');
    const actions = sm.flatMap((st) => [st.Action].flat());
    expect(actions).toEqual(
      expect.arrayContaining([
        'ecs:RunTask',
        'ecs:StopTask',
        'ecs:DescribeTasks',
        'iam:PassRole',
        'events:PutRule',
        'events:PutTargets',
        'events:DescribeRule',
      ]),
    );
    const run = sm.find((st) => st.Action === 'ecs:RunTask');
    expect(JSON.stringify(run?.Resource)).toContain('SandboxTask');
    const subs = stateMachine('CloudmendRemediateStateMachine').Properties.DefinitionSubstitutions as Record<string, unknown>;
    expect(JSON.stringify(subs.SandboxClusterArn)).toContain('SandboxCluster');
  });

  it.each(['run-agent', 'apply-skill', 'compare-drift'])(
    'tells %s where the sandbox runs: its isolated subnets and security group',
    (entry) => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp(`^cloudmend ${entry}`),
        Environment: {
          Variables: Match.objectLike({
            [ENV.sandboxSubnets]: Match.anyValue(),
            [ENV.sandboxSecurityGroups]: { 'Fn::GetAtt': [Match.stringLikeRegexp('SandboxSecurityGroup'), 'GroupId'] },
          }),
        },
      });
    },
  );

  it('runs the validators on skill and codify patches without a model: no Bedrock endpoint, no Bedrock permission', () => {
    const { template: validating } = build({ config: exampleConfig(withoutModel) });
    validating.resourceCountIs('AWS::ECS::TaskDefinition', 1);
    const endpoints = JSON.stringify(validating.findResources('AWS::EC2::VPCEndpoint'));
    expect(endpoints).toContain('.ecr.api');
    expect(endpoints).not.toContain('bedrock');
    expect(JSON.stringify(validating.findResources('AWS::IAM::Policy'))).not.toContain('bedrock:');
  });

  it('is left out when there is neither a model nor a validator', () => {
    const { template: none } = build({
      config: exampleConfig(withoutValidators),
    });
    none.resourceCountIs('AWS::ECS::TaskDefinition', 0);
    none.resourceCountIs('AWS::EC2::VPC', 0);
    const sm = Object.values(none.findResources('AWS::StepFunctions::StateMachine'))[0] as {
      Properties: { DefinitionSubstitutions: Record<string, unknown> };
    };
    expect(JSON.stringify(sm.Properties.DefinitionSubstitutions.SandboxClusterArn)).toContain('cluster/cloudmend-sandbox-disabled');
  });

  it('is deployed for a CDK app with neither a model nor a validator, and gains nothing for it: no endpoint, no permission', () => {
    const { template: cdk } = build({ config: exampleConfig((t) => withoutValidators(t).replace('iac: cloudformation', 'iac: cdk')) });
    cdk.resourceCountIs('AWS::ECS::TaskDefinition', 1);
    const { template: validating } = build({ config: exampleConfig(withoutModel) });
    expect(statementsOf('CloudmendSandboxTaskTaskRole', cdk)).toEqual(statementsOf('CloudmendSandboxTaskTaskRole', validating));
    const endpoints = (t: Template) =>
      Object.values(resources('AWS::EC2::VPCEndpoint', t)).map((e) => JSON.stringify(e.Properties.ServiceName));
    expect(endpoints(cdk)).toEqual(endpoints(validating));
  });
});

function withoutModel(text: string): string {
  return text.replace(/model:[\s\S]*?\n\n/, 'model:\n  provider: none\n\n');
}

function withoutValidators(text: string): string {
  return `${withoutModel(text)}\nvalidators:\n  terraform: { mode: off }\n  cfnLint: { mode: off }\n`;
}

describe('dashboard', () => {
  it('plots findings in, pull requests, approvals, failures and model tokens', () => {
    const body = JSON.stringify(only(resources('AWS::CloudWatch::Dashboard')).Properties.DashboardBody);
    for (const metric of Object.values(METRIC)) expect(body).toContain(metric);
    for (const title of ['Findings in', 'Pull requests opened', 'Approvals', 'Failures', 'Model tokens']) expect(body).toContain(title);
  });
});
