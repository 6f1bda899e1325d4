/**
 * `Cloudmend`: the whole pipeline as one construct, for `CloudmendStack` or a team's own CDK app.
 * Findings in through EventBridge, the remediate state machine, approvals from Slack, pull
 * requests to GitHub; it never changes a cloud resource itself.
 */
import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { Config } from '../src/config/schema.js';
import { CloudmendError } from '../src/errors.js';
import { CloudmendAlarms, executionProblems } from './alarms.js';
import { CloudmendDashboard } from './dashboard.js';
import { FindingBatcher } from './batching.js';
import { CloudmendData } from './data.js';
import { CloudmendFunction } from './functions.js';
import { CloudmendDeadLetters } from './dead-letters.js';
import { DriftScan, driftScanTargets } from './drift-scan.js';
import { CloudmendOperations } from './operations.js';
import { OrganizationRollout } from './organization.js';
import { CloudmendSandbox, SANDBOX_ARCHITECTURES, type SandboxArchitecture } from './sandbox.js';
import { validatesInSandbox } from '../src/workflow/validation.js';
import { CloudmendTriggers } from './triggers.js';
import { PULL_REQUEST_CONCURRENCY, RemediateWorkflow } from './workflow.js';

export interface CloudmendProps {
  /** The validated configuration (`loadConfig`); its repositories must be on GitHub. */
  readonly config: Config;
  /**
   * The bus findings arrive on.
   * @default - the account's default event bus, where Security Hub and Config publish
   */
  readonly eventBus?: events.IEventBus;
  /**
   * Where alarms (failed findings and executions, function errors and throttles, dead letters) are
   * sent; a topic of your own must let CloudWatch publish to it (and use its key, if encrypted).
   * @default - a new topic encrypted with cloudmend's key; subscribe to it after deploying
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * The VPC of the sandbox (model agent, validators); it needs isolated subnets and the endpoints listed in the README.
   * @default - a new VPC with one isolated subnet, no internet or NAT gateway, and the endpoints
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The sandbox's CPU, and the platform its image is built for by `cdk deploy`: build on a machine
   * of that architecture, or with QEMU (README, "Deploy to AWS").
   * @default 'arm64'
   */
  readonly sandboxArchitecture?: SandboxArchitecture;
  /**
   * What happens to the ledger, artifacts, secrets, key and logs when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /**
   * How long patches are kept; must outlast the approval timeout, after which they are read.
   * @default Duration.days(30)
   */
  readonly artifactRetention?: Duration;
  /**
   * Create the Security Hub custom action; Security Hub must be enabled in the account.
   * @default true
   */
  readonly createCustomAction?: boolean;
  /**
   * Reserve concurrency for OpenPullRequest (4, `PULL_REQUEST_CONCURRENCY`: GitHub's secondary rate limits) and the public
   * Slack endpoint (10: a flood cannot take the account's concurrency). Accounts with the
   * new-account quota of 10 concurrent executions cannot reserve any: set false there.
   * @default true
   */
  readonly reservedConcurrency?: boolean;
}

/** Props or config a deployable stack cannot be built from; the message lists every problem. */
export class CloudmendPropsError extends CloudmendError {
  override name = 'CloudmendPropsError';
  override readonly userFacing = true;
}

/** Every problem with the props at once, each naming what to change. */
export function validateCloudmendProps(props: CloudmendProps, stackRegion: string): string[] {
  const { config } = props;
  const problems: string[] = [];
  config.repositories.forEach((repo, i) => {
    if (repo.provider !== 'github') {
      problems.push(
        `config repositories[${i}] (${repo.name}) uses provider ${repo.provider}, which only the local runtime can reach: set provider: github and location: <owner>/<name>`,
      );
    }
    // The sandbox synthesizes a CDK app with its image's packages: a directory here is not there.
    if (repo.nodeModules !== undefined) {
      problems.push(
        `config repositories[${i}] (${repo.name}) sets nodeModules, a directory the deployed sandbox cannot read: in AWS the app synthesizes with the sandbox image's aws-cdk-lib and constructs (docs/cdk.md); remove it from the config you deploy`,
      );
    }
  });
  const tiers = [config.policy.default, ...config.policy.rules.map((r) => r.tier)];
  if (tiers.includes('pull_request_with_approval')) {
    if (!config.approvals.slack)
      problems.push('config approvals.slack.channel is required: the policy asks for approvals, and in AWS they are given in Slack');
    if (config.approvals.approvers.users.length + config.approvals.approvers.groups.length === 0) {
      problems.push(
        'config approvals.approvers lists nobody: the policy asks for approvals that no one could give; add Slack user or group ids',
      );
    }
  }
  const retentionSeconds = (props.artifactRetention ?? Duration.days(30)).toSeconds();
  if (retentionSeconds <= config.approvals.timeout) {
    problems.push(
      `artifactRetention (${retentionSeconds / 86_400} days) must be longer than approvals.timeout (${config.approvals.timeout / 86_400} days): an approved patch is read after the wait`,
    );
  }
  if (
    config.model.provider === 'bedrock' &&
    config.model.region &&
    !Token.isUnresolved(stackRegion) &&
    config.model.region !== stackRegion
  ) {
    problems.push(
      `config model.region is ${config.model.region} but the stack deploys to ${stackRegion}: the sandbox reaches Bedrock through a VPC endpoint in the stack's region; remove model.region or deploy there`,
    );
  }
  const architecture = props.sandboxArchitecture ?? 'arm64';
  if (!Object.hasOwn(SANDBOX_ARCHITECTURES, architecture)) {
    problems.push(
      `sandboxArchitecture is ${architecture}: use arm64 (the default; build on ARM or with QEMU) or x86_64 (builds natively on x86: -c sandboxArchitecture=x86_64)`,
    );
  }
  if (config.batching.maxFindings > AWS_MAX_BATCH) {
    problems.push(
      `config batching.maxFindings is ${config.batching.maxFindings}: a batch's execution state must fit Step Functions' 256 KB, which holds at most ${AWS_MAX_BATCH} findings; lower it`,
    );
  }
  return problems;
}

/** Findings per batch that fit one Step Functions execution (256 KB of state). */
const AWS_MAX_BATCH = 100;

export class Cloudmend extends Construct {
  readonly data: CloudmendData;
  readonly workflow: RemediateWorkflow;
  readonly triggers: CloudmendTriggers;
  readonly operations: CloudmendOperations;
  readonly driftScan?: DriftScan;
  readonly organization?: OrganizationRollout;
  readonly batcher?: FindingBatcher;
  readonly sandbox?: CloudmendSandbox;
  readonly alarmTopic: sns.ITopic;
  readonly deadLetters: CloudmendDeadLetters;
  readonly alarms: CloudmendAlarms;
  readonly dashboard: CloudmendDashboard;
  /** The bus the rules listen on (`props.eventBus`, else the account's default bus). */
  readonly eventBus: events.IEventBus;

  constructor(scope: Construct, id: string, props: CloudmendProps) {
    super(scope, id);
    const problems = validateCloudmendProps(props, Stack.of(this).region);
    if (problems.length > 0) throw new CloudmendPropsError(`Cloudmend cannot be built:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    const { config } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const reserve = props.reservedConcurrency ?? true;

    this.data = new CloudmendData(this, 'Data', { removalPolicy, artifactRetention: props.artifactRetention ?? Duration.days(30) });
    // The sandbox runs the model agent and the validators; with neither, there is none: its VPC
    // endpoints are most of cloudmend's fixed cost.
    const modelId = config.model.provider === 'bedrock' ? config.model.modelId : undefined;
    if (modelId !== undefined || validatesInSandbox(config)) {
      this.sandbox = new CloudmendSandbox(this, 'Sandbox', {
        modelId,
        data: this.data,
        vpc: props.vpc,
        architecture: props.sandboxArchitecture,
        logRetention,
        removalPolicy,
      });
    }
    this.workflow = new RemediateWorkflow(this, 'Remediate', {
      config,
      data: this.data,
      sandbox: this.sandbox,
      logRetention,
      removalPolicy,
      pullRequestConcurrency: reserve ? PULL_REQUEST_CONCURRENCY : undefined,
    });
    const deadLetters = (this.deadLetters = new CloudmendDeadLetters(this, 'DeadLetters', {
      removalPolicy,
      batching: config.batching.windowSeconds > 0,
    }));
    const stateMachine = this.workflow.stateMachine;
    // The batching dead-letter queue exists exactly when batching is on.
    if (deadLetters.batches)
      this.batcher = new FindingBatcher(this, 'Batching', {
        config,
        stateMachine,
        data: this.data,
        deadLetterQueue: deadLetters.batches,
        logRetention,
        removalPolicy,
      });
    this.triggers = new CloudmendTriggers(this, 'Triggers', {
      config,
      stateMachine,
      eventBus: props.eventBus,
      createCustomAction: props.createCustomAction,
      deadLetterQueue: deadLetters.events,
      batchQueue: this.batcher?.queue,
    });
    // The bus the rules listen on: drift events and member accounts' events are sent to it.
    const eventBus = (this.eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default'));
    const targets = driftScanTargets(config, Stack.of(this).account);
    if (config.schedules.some((s) => s.task === 'drift-scan') && targets.length > 0) {
      this.driftScan = new DriftScan(this, 'DriftScan', {
        targets,
        eventBus,
        logRetention,
        removalPolicy,
        rolesInOtherAccounts: config.organization !== undefined,
      });
    }
    if (config.organization) {
      const driftScan = this.driftScan && { role: this.driftScan.stateMachine.role, stackNames: this.driftScan.stackNames };
      this.organization = new OrganizationRollout(this, 'Organization', { organization: config.organization, config, eventBus, driftScan });
    }
    this.operations = new CloudmendOperations(this, 'Operations', {
      config,
      data: this.data,
      stateMachine,
      driftScan: this.driftScan,
      scheduleDeadLetters: deadLetters.schedules,
      sweepDeadLetters: deadLetters.sweeps,
      logRetention,
      removalPolicy,
      slackEndpointConcurrency: reserve ? 10 : undefined,
    });

    this.alarmTopic = props.alarmTopic ?? this.newAlarmTopic();
    this.alarms = new CloudmendAlarms(this, 'Monitoring', {
      topic: this.alarmTopic,
      remediate: stateMachine,
      driftScan: this.driftScan?.stateMachine,
      functions: this.node.findAll().filter((c): c is CloudmendFunction => c instanceof CloudmendFunction),
      deadLetters: deadLetters.all,
      // A message older than the visibility timeout was taken and not deleted: the batching function is failing.
      queues: this.batcher
        ? [{ name: 'BatchQueue', queue: this.batcher.queue, maxAge: this.batcher.visibilityTimeout.plus(Duration.minutes(5)) }]
        : [],
    });
    const waiting = deadLetters.all.map(({ queue }) =>
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    );
    this.dashboard = new CloudmendDashboard(this, 'Dashboard', {
      executionProblems: executionProblems(stateMachine),
      deadLetters: waiting,
    });
  }

  private newAlarmTopic(): sns.Topic {
    const topic = new sns.Topic(this, 'Alarms', { displayName: 'cloudmend alarms', masterKey: this.data.key, enforceSSL: true });
    // A topic policy names who may publish: without this statement, enforceSSL's Deny is the
    // whole policy and no alarm reaches anyone. Only this account's alarms may publish.
    const { account, region, partition } = Stack.of(this);
    const fromOwnAlarms = {
      StringEquals: { 'aws:SourceAccount': account },
      ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
    };
    const cloudwatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarms',
        principals: [cloudwatch],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromOwnAlarms,
      }),
    );
    // It publishes to the encrypted topic with cloudmend's key.
    this.data.key.grant(cloudwatch, 'kms:Decrypt', 'kms:GenerateDataKey*');
    return topic;
  }
}
