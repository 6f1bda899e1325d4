/**
 * The functions outside the state machine: the Slack interaction endpoint (approve and reject
 * buttons), the approval expiry sweep, the stuck-finding sweep, and the backfill sweep of open
 * Security Hub findings, with the EventBridge Scheduler schedules that run the sweeps.
 */
import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { Config } from '../src/config/schema.js';
import { BUCKET_PREFIX, ENV } from '../src/aws/environment.js';
import type { CloudmendData } from './data.js';
import { CloudmendFunction } from './functions.js';
import type { DriftScan } from './drift-scan.js';
import { acknowledgeWildcard, arnRef } from './nag.js';
import { grantPort, securityHubArn } from './workflow.js';

export interface CloudmendOperationsProps {
  readonly config: Config;
  readonly data: CloudmendData;
  readonly stateMachine: sfn.IStateMachine;
  /** Present when the config schedules a drift scan and names stacks to scan. */
  readonly driftScan?: DriftScan | undefined;
  /** Where schedules Scheduler could not start go. */
  readonly scheduleDeadLetters: sqs.IQueue;
  /** Where sweeps that failed every retry go (Lambda's invocation records). */
  readonly sweepDeadLetters: sqs.IQueue;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Reserved concurrency of the public Slack endpoint, or none. */
  readonly slackEndpointConcurrency?: number;
}

/** How often expired approvals are swept when the config names no approval-expiry schedule. */
export const DEFAULT_EXPIRY_SCHEDULE = 'rate(15 minutes)';
/** How often findings stuck in flight are looked for when the config names no sweep schedule. */
export const DEFAULT_SWEEP_SCHEDULE = 'rate(15 minutes)';

export class CloudmendOperations extends Construct {
  readonly slackInteractions: CloudmendFunction;
  readonly slackUrl: lambda.FunctionUrl;
  readonly approvalExpiry: CloudmendFunction;
  readonly sweep: CloudmendFunction;
  readonly backfill: CloudmendFunction;
  readonly schedules: Readonly<Record<string, scheduler.Schedule>>;

  constructor(scope: Construct, id: string, props: CloudmendOperationsProps) {
    super(scope, id);
    const common = { config: props.config, logRetention: props.logRetention, removalPolicy: props.removalPolicy };

    this.slackInteractions = new CloudmendFunction(this, 'SlackInteractions', {
      ...common,
      entry: 'slack-interactions',
      description: 'Slack approve and reject buttons: signature, approver, one decision, task callback',
      memoryMb: 512,
      // Slack waits 3 seconds for an answer; the rest of the time is for the message update.
      timeout: Duration.seconds(10),
      reservedConcurrency: props.slackEndpointConcurrency,
    });
    grantPort(this.slackInteractions, 'ledger', props.data);
    grantPort(this.slackInteractions, 'approvals', props.data);
    // The approval's stored patch says which choices it accepts (src/approvals/choices.ts): read, never written.
    this.slackInteractions.function.addEnvironment(ENV.artifactsBucket, props.data.artifacts.bucketName);
    props.data.grantArtifacts(
      this.slackInteractions.role,
      BUCKET_PREFIX.artifacts,
      'read',
      this.slackInteractions,
      'Patches the workflow stored, read to know which choices an approval accepts: named at run time, under this prefix only.',
    );
    props.stateMachine.grantTaskResponse(this.slackInteractions.role);
    // Slack cannot sign requests with AWS SigV4: the endpoint is public and every request is
    // checked against Slack's signature (signing secret, 5-minute window) before anything else.
    this.slackUrl = this.slackInteractions.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    this.approvalExpiry = new CloudmendFunction(this, 'ApprovalExpiry', {
      ...common,
      entry: 'approval-expiry',
      description: 'expires approvals nobody decided in time and resumes their executions',
      memoryMb: 256,
      timeout: Duration.minutes(2),
    });
    grantPort(this.approvalExpiry, 'ledger', props.data);
    grantPort(this.approvalExpiry, 'approvals', props.data);
    props.stateMachine.grantTaskResponse(this.approvalExpiry.role);

    this.sweep = new CloudmendFunction(this, 'Sweep', {
      ...common,
      entry: 'sweep',
      description: 'records findings stuck in flight past recovery.stuckAfter as interrupted, to run again',
      memoryMb: 256,
      timeout: Duration.minutes(5),
    });
    grantPort(this.sweep, 'ledger', props.data);

    this.backfill = new CloudmendFunction(this, 'Backfill', {
      ...common,
      entry: 'backfill',
      description: 'starts remediation for open Security Hub findings that no event brought',
      memoryMb: 512,
      timeout: Duration.minutes(10),
    });
    this.backfill.function.addEnvironment(ENV.remediateStateMachineArn, props.stateMachine.stateMachineArn);
    props.stateMachine.grantStartExecution(this.backfill.role);
    this.backfill.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['securityhub:GetFindings'], resources: [securityHubArn(this)] }),
    );

    // Scheduler invokes the sweeps asynchronously: its dead-letter queue only sees invocations Lambda
    // refused; a sweep that fails Lambda's own retries is kept, as Lambda's invocation record, in another.
    for (const sweep of [this.approvalExpiry, this.sweep, this.backfill]) {
      sweep.function.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(props.sweepDeadLetters), retryAttempts: 2 });
    }

    this.schedules = this.scheduleSweeps(props);
  }

  /** The config's schedules, plus the approval expiry and stuck-finding sweeps, which a deployment always needs. */
  private scheduleSweeps(props: CloudmendOperationsProps): Record<string, scheduler.Schedule> {
    const wanted = [...props.config.schedules];
    if (!wanted.some((s) => s.task === 'approval-expiry'))
      wanted.push({ name: 'cloudmend-approval-expiry', task: 'approval-expiry', expression: DEFAULT_EXPIRY_SCHEDULE });
    if (!wanted.some((s) => s.task === 'sweep'))
      wanted.push({ name: 'cloudmend-sweep', task: 'sweep', expression: DEFAULT_SWEEP_SCHEDULE });
    const schedules: Record<string, scheduler.Schedule> = {};
    const role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'cloudmend: EventBridge Scheduler invokes the sweep functions',
    });
    for (const fn of [this.backfill, this.approvalExpiry, this.sweep]) {
      acknowledgeWildcard(
        role,
        `${arnRef(fn.function)}:*`,
        'Scheduler invokes this one function; the suffix is its version or alias, added by the Scheduler target.',
      );
    }
    for (const s of wanted) {
      const target = this.targetOf(s.task, role, props);
      if (!target) continue;
      schedules[s.name] = new scheduler.Schedule(this, s.name, {
        description: `cloudmend ${s.task} (${s.name})`,
        schedule: scheduler.ScheduleExpression.expression(s.expression),
        target,
      });
    }
    return schedules;
  }

  /** What a schedule of `task` starts; a drift scan with no stacks to scan is left out, with a warning. */
  private targetOf(
    task: Config['schedules'][number]['task'],
    role: iam.IRole,
    props: CloudmendOperationsProps,
  ): scheduler.IScheduleTarget | undefined {
    const common = { role, deadLetterQueue: props.scheduleDeadLetters, retryAttempts: 3, maxEventAge: Duration.hours(1) };
    if (task === 'backfill') return new schedulerTargets.LambdaInvoke(this.backfill.function, common);
    if (task === 'approval-expiry') return new schedulerTargets.LambdaInvoke(this.approvalExpiry.function, common);
    if (task === 'sweep') return new schedulerTargets.LambdaInvoke(this.sweep.function, common);
    if (!props.driftScan) {
      Validations.of(this).addWarning(
        'cloudmend:schedule:drift-scan',
        'a drift-scan schedule needs CloudFormation stacks to scan (a repository with iac: cloudformation and templates or owns.stacks); it is skipped',
      );
      return undefined;
    }
    return new schedulerTargets.StepFunctionsStartExecution(props.driftScan.stateMachine, {
      ...common,
      input: scheduler.ScheduleTargetInput.fromObject(props.driftScan.input),
    });
  }
}
