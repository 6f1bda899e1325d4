/**
 * The drift scan: `statemachines/drift-scan.asl.json` run on a schedule for the CloudFormation
 * stacks the configured repositories own, each in its own account. It calls CloudFormation as the
 * read-only `cloudmend-drift-scan` role of that account (the Credentials of each SDK task) and
 * EventBridge as itself (SDK integrations, no Lambda), and publishes each drifted resource as
 * "cloudmend Drift Detected", which the remediate workflow consumes like any other finding.
 */
import { Aws, type RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { Config } from '../src/config/schema.js';
import { aslText, DRIFT_SCAN_ROLE_NAME } from '../src/workflow/asl.js';
import { stateMachineLogGroup } from './state-machine-logs.js';

/** One stack to scan, in the account it is deployed in. */
export interface DriftScanTarget {
  readonly stackName: string;
  /** A 12-digit account id, or the deploying account's (a token) for repositories that own every account. */
  readonly account: string;
}

/**
 * The stacks to scan: every stack a CloudFormation repository names (its templates and
 * `owns.stacks`), in each account it owns; `'*'` stands for the deploying account, the one account
 * cloudmend can name for it.
 */
export function driftScanTargets(config: Config, deployingAccount: string): DriftScanTarget[] {
  const targets = config.repositories
    .filter((r) => r.iac === 'cloudformation')
    .flatMap((r) => {
      const stackNames = [...Object.keys(r.templates ?? {}), ...(r.owns.stacks ?? [])];
      const accounts = r.owns.accounts.map((a) => (a === '*' ? deployingAccount : a));
      return stackNames.flatMap((stackName) => accounts.map((account) => ({ stackName, account })));
    });
  const unique = new Map(targets.map((t) => [`${t.account}/${t.stackName}`, t]));
  return [...unique.values()].sort((a, b) => a.stackName.localeCompare(b.stackName) || a.account.localeCompare(b.account));
}

/** The role the drift scan assumes in `account`. */
export function driftScanRoleArn(account: string): string {
  return `arn:${Aws.PARTITION}:iam::${account}:role/${DRIFT_SCAN_ROLE_NAME}`;
}

export interface DriftScanRoleProps {
  /** The account of the drift scan's state machine. */
  readonly trustedAccount: string;
  /** The drift scan state machine's role: the one principal that may assume this role. */
  readonly trustedRoleArn: string;
  /** The stacks drift detection may run on, in this account. */
  readonly stackNames: readonly string[];
}

/**
 * `cloudmend-drift-scan`, the read-only role the drift scan assumes in an account: drift detection
 * on the named stacks and nothing that writes. The administrator's stack creates it in its own
 * account; the organization's StackSet in each member account.
 */
export class DriftScanRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: DriftScanRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      roleName: DRIFT_SCAN_ROLE_NAME,
      description: 'cloudmend drift scan: CloudFormation drift detection, read only',
      assumedBy: new iam.AccountPrincipal(props.trustedAccount).withConditions({ ArnEquals: { 'aws:PrincipalArn': props.trustedRoleArn } }),
    });
    const stack = Stack.of(this);
    const stackArns = props.stackNames.map((name) =>
      stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${name}/*` }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudformation:DetectStackDrift', 'cloudformation:DescribeStackResourceDrifts', 'cloudformation:DescribeStacks'],
        resources: stackArns,
      }),
    );
    // DescribeStackDriftDetectionStatus and ListStacks have no resource-level permissions.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudformation:DescribeStackDriftDetectionStatus', 'cloudformation:ListStacks'],
        resources: ['*'],
      }),
    );
    // CloudFormation reads each resource of the stack with the caller's permissions to detect
    // drift: metadata reads only (SecurityAudit), never data (no s3:GetObject, no secrets).
    this.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('SecurityAudit'));
    Validations.of(this.role).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/SecurityAudit]',
        reason:
          'DetectStackDrift reads every resource of a stack with the caller’s permissions; SecurityAudit is AWS’s maintained metadata-only read policy for exactly that.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'DescribeStackDriftDetectionStatus and ListStacks have no resource-level permissions; nothing else is granted on "*".',
      },
      ...props.stackNames.map((name) => ({
        // cdk-nag names the ARN as the template writes it: a token, or the literal of a stack with an environment.
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudformation:${Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region}:${Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account}:stack/${name}/*]`,
        reason: 'The suffix of a stack ARN is its generated id: this names one stack.',
      })),
    );
  }
}

export interface DriftScanProps {
  readonly targets: readonly DriftScanTarget[];
  /** Where drift events go: the bus the remediate triggers listen on. */
  readonly eventBus: events.IEventBus;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /**
   * The organization's StackSet creates the drift-scan role in the other accounts.
   * @default false - a warning names the other accounts, where the role must be created by hand
   */
  readonly rolesInOtherAccounts?: boolean;
}

export class DriftScan extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** The scan's role in this account; other accounts get theirs from the organization's StackSet. */
  readonly localRole: DriftScanRole;
  /** The input a schedule starts the scan with. */
  readonly input: { readonly stacks: readonly DriftScanTarget[] };

  constructor(scope: Construct, id: string, props: DriftScanProps) {
    super(scope, id);
    this.input = { stacks: props.targets };
    const logGroup = stateMachineLogGroup(this, 'drift-scan', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'cloudmend drift scan: CloudFormation drift detection → "cloudmend Drift Detected" events',
      definitionBody: sfn.DefinitionBody.fromString(aslText('drift-scan')),
      // The state builds each role's ARN from the account of the stack it scans: `{}` is the account id.
      definitionSubstitutions: { EventBusName: props.eventBus.eventBusName, DriftScanRoleArn: driftScanRoleArn('{}') },
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    const accounts = [...new Set(props.targets.map((t) => t.account))];
    this.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: accounts.map(driftScanRoleArn) }));
    this.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.eventBus.eventBusArn] }));
    this.localRole = new DriftScanRole(this, 'LocalRole', {
      trustedAccount: Stack.of(this).account,
      trustedRoleArn: this.stateMachine.role.roleArn,
      stackNames: [...new Set(props.targets.map((t) => t.stackName))],
    });
    const others = accounts.filter((a) => !Token.isUnresolved(a) && a !== Stack.of(this).account);
    if (others.length > 0 && !props.rolesInOtherAccounts) {
      Validations.of(this).addWarning(
        'cloudmend:drift-scan:roles',
        `the drift scan assumes the role ${DRIFT_SCAN_ROLE_NAME} in account ${others.join(', ')}, which nothing here creates: configure organization (its StackSet creates it) or create it there (README, "Multi-account")`,
      );
    }
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing and CloudWatch Logs delivery have no resource-level permissions; nothing else is granted on "*".',
    });
  }

  /** The stack names the scan reads, in any account. */
  get stackNames(): string[] {
    return [...new Set(this.input.stacks.map((t) => t.stackName))];
  }
}
