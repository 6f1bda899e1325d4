/**
 * The remediate workflow: `statemachines/remediate.asl.json` as written (so cfn-lint and the local
 * runtime read the same text), one function per entry of the task table filling its placeholders,
 * each function granted exactly the ports its entry declares.
 */
import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { Config } from '../src/config/schema.js';
import { BUCKET_PREFIX, ENV } from '../src/aws/environment.js';
import { aslText, placeholders, type PlaceholderKind } from '../src/workflow/asl.js';
import type { Port } from '../src/workflow/context.js';
import { TASKS, type TaskSpec } from '../src/workflow/tasks.js';
import type { CloudmendData } from './data.js';
import { CloudmendFunction } from './functions.js';
import { acknowledgeWildcard, nagResource } from './nag.js';
import type { CloudmendSandbox } from './sandbox.js';
import { stateMachineLogGroup } from './state-machine-logs.js';

export interface RemediateWorkflowProps {
  readonly config: Config;
  readonly data: CloudmendData;
  /** @default - no sandbox: RunAgent records that no model is configured, and the validators are off */
  readonly sandbox?: CloudmendSandbox;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Reserved concurrency of OpenPullRequest, or none. */
  readonly pullRequestConcurrency?: number;
}

/**
 * OpenPullRequest's reserved concurrency, for GitHub's secondary rate limits: at least the remediate
 * Map's MaxConcurrency, so one execution alone is never throttled. Several executions at once are;
 * the ASL retries that throttling (and GitHub's rate limits) for minutes, not seconds.
 */
export const PULL_REQUEST_CONCURRENCY = 4;

/** `ApplySkill` → `apply-skill`: the entry file in `functions/`. */
export function entryOf(taskName: string): string {
  return taskName.replace(/(?<=[a-z])(?=[A-Z])/g, '-').toLowerCase();
}

/** The Security Hub hub of this account and region: where BatchUpdateFindings is authorised. */
export function securityHubArn(scope: Construct): string {
  return Stack.of(scope).formatArn({ service: 'securityhub', resource: 'hub', resourceName: 'default' });
}

/** The Security Hub v2 hub of this account and region (its id is generated): where BatchUpdateFindingsV2 is authorised. */
export function securityHubV2Arn(scope: Construct): string {
  return Stack.of(scope).formatArn({ service: 'securityhub', resource: 'hubv2', resourceName: '*' });
}

export class RemediateWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly functions: Readonly<Record<string, CloudmendFunction>>;

  constructor(scope: Construct, id: string, props: RemediateWorkflowProps) {
    super(scope, id);
    const functions: Record<string, CloudmendFunction> = {};
    for (const spec of TASKS.filter((t) => !t.sandbox)) functions[spec.name] = this.taskFunction(spec, props);
    this.functions = functions;
    const { sandbox } = props;
    // Without a model and validators nothing asks for the sandbox; the ARNs still have to be well formed.
    const disabled = (resource: string): string =>
      Stack.of(this).formatArn({ service: 'ecs', resource, resourceName: 'cloudmend-sandbox-disabled' });
    const fill = (name: string, kind: PlaceholderKind): string =>
      kind === 'function'
        ? functions[name]!.function.functionArn
        : kind === 'cluster'
          ? (sandbox?.cluster.clusterArn ?? disabled('cluster'))
          : (sandbox?.taskDefinition.taskDefinitionArn ?? disabled('task-definition'));

    const logGroup = stateMachineLogGroup(this, 'remediate', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'cloudmend remediate: findings → verified patches → approved pull requests',
      definitionBody: sfn.DefinitionBody.fromString(aslText('remediate')),
      definitionSubstitutions: Object.fromEntries(placeholders().map(([placeholder, task, kind]) => [placeholder, fill(task.name, kind)])),
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      // Execution data holds findings (untrusted) and task tokens (capabilities): not logged.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    // The functions by name, without the `:*` (any version or alias) that grantInvoke adds.
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: Object.values(functions).map((f) => f.function.functionArn),
      }),
    );
    if (sandbox) sandbox.grantRun(this.stateMachine);
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing and CloudWatch Logs delivery (logs:CreateLogDelivery and friends) have no resource-level permissions; nothing else is granted on "*".',
    });
  }

  private taskFunction(spec: TaskSpec, props: RemediateWorkflowProps): CloudmendFunction {
    const fn = new CloudmendFunction(this, spec.name, {
      entry: entryOf(spec.name),
      description: spec.description,
      memoryMb: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      config: props.config,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      reservedConcurrency: spec.name === 'OpenPullRequest' ? props.pullRequestConcurrency : undefined,
    });
    for (const port of spec.ports) grantPort(fn, port, props.data, props.sandbox);
    return fn;
  }
}

/** What a port is in AWS: an environment variable naming the resource, and the grant to use it. */
export function grantPort(fn: CloudmendFunction, port: Port, data: CloudmendData, sandbox?: CloudmendSandbox): void {
  const { function: f, role } = fn;
  switch (port) {
    case 'ledger':
      f.addEnvironment(ENV.ledgerTable, data.ledger.tableName);
      data.grantLedger(role);
      return;
    case 'artifacts':
      f.addEnvironment(ENV.artifactsBucket, data.artifacts.bucketName);
      data.grantArtifacts(
        role,
        BUCKET_PREFIX.artifacts,
        'readwrite',
        fn,
        'Patches between tasks, and what is too large for the state (batch members, configuration items): named at run time, under this prefix only.',
      );
      return;
    case 'repositories':
    case 'pullRequests':
      f.addEnvironment(ENV.githubSecretArn, data.githubSecret.secretArn);
      data.githubSecret.grantRead(role);
      return;
    case 'approvals':
      f.addEnvironment(ENV.slackSecretArn, data.slackSecret.secretArn);
      data.slackSecret.grantRead(role);
      return;
    case 'findingUpdates': {
      // BatchUpdateFindingsV2 (Security Hub v2 findings) is authorised as securityhub:BatchUpdateFindings too, on the v2 hub.
      const hubV2 = securityHubV2Arn(fn);
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['securityhub:BatchUpdateFindings'], resources: [securityHubArn(fn), hubV2] }),
      );
      acknowledgeWildcard(
        fn,
        nagResource(fn, hubV2),
        'The suffix of a Security Hub v2 hub ARN is its generated id: there is one hub per account and Region, and this names it.',
      );
      return;
    }
    case 'sandbox':
      // Only where the sandbox runs; the state machine starts it, not the function.
      f.addEnvironment(ENV.sandboxSubnets, sandbox ? sandbox.subnetIds.join(',') : '');
      f.addEnvironment(ENV.sandboxSecurityGroups, sandbox ? sandbox.securityGroup.securityGroupId : '');
      return;
  }
}
