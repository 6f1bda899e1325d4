/**
 * The drift scan: `statemachines/drift-scan.asl.json` run on a schedule for the CloudFormation
 * stacks the configured repositories own. It calls CloudFormation and EventBridge directly (SDK
 * integrations, no Lambda) and publishes each drifted resource as "cloudmend Drift Detected",
 * which the remediate workflow consumes like any other finding.
 */
import { type RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { Config } from '../src/config/schema.js';
import { aslText } from '../src/workflow/asl.js';
import { stateMachineLogGroup } from './state-machine-logs.js';

/** The stacks to scan: every stack a CloudFormation repository names (its templates and `owns.stacks`). */
export function driftScanStacks(config: Config): string[] {
  const names = config.repositories
    .filter((r) => r.iac === 'cloudformation')
    .flatMap((r) => [...Object.keys(r.templates ?? {}), ...(r.owns.stacks ?? [])]);
  return [...new Set(names)].sort();
}

export interface DriftScanProps {
  readonly stacks: readonly string[];
  /** Where drift events go: the bus the remediate triggers listen on. */
  readonly eventBus: events.IEventBus;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

export class DriftScan extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** The input a schedule starts the scan with. */
  readonly input: { readonly stacks: readonly { readonly stackName: string }[] };

  constructor(scope: Construct, id: string, props: DriftScanProps) {
    super(scope, id);
    this.input = { stacks: props.stacks.map((stackName) => ({ stackName })) };
    const logGroup = stateMachineLogGroup(this, 'drift-scan', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'cloudmend drift scan: CloudFormation drift detection → "cloudmend Drift Detected" events',
      definitionBody: sfn.DefinitionBody.fromString(aslText('drift-scan')),
      definitionSubstitutions: { EventBusName: props.eventBus.eventBusName },
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    const stack = Stack.of(this);
    const stackArns = props.stacks.map((name) => stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${name}/*` }));
    this.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudformation:DetectStackDrift', 'cloudformation:DescribeStackResourceDrifts'], resources: stackArns }));
    // DescribeStackDriftDetectionStatus has no resource-level permissions.
    this.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStackDriftDetectionStatus'], resources: ['*'] }));
    this.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.eventBus.eventBusArn] }));
    // CloudFormation reads each resource of the stack with the caller's permissions to detect
    // drift: metadata reads only (SecurityAudit), never data (no s3:GetObject, no secrets).
    this.stateMachine.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('SecurityAudit'));
    Validations.of(this.stateMachine).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/SecurityAudit]',
        reason: 'DetectStackDrift reads every resource of a stack with the caller’s permissions; SecurityAudit is AWS’s maintained metadata-only read policy for exactly that.',
      },
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'DescribeStackDriftDetectionStatus, X-Ray and CloudWatch Logs delivery have no resource-level permissions; nothing else is granted on "*".' },
      ...props.stacks.map((name) => ({
        // cdk-nag names the ARN as the template writes it: a token, or the literal of a stack with an environment.
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudformation:${Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region}:${Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account}:stack/${name}/*]`,
        reason: 'The suffix of a stack ARN is its generated id: this names one stack.',
      })),
    );
  }
}
