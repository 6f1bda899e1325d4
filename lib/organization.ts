/**
 * Organization rollout (`organization` in the config): the administrator account's bus accepts
 * events from the organization's accounts, and a service-managed StackSet, deployed automatically to
 * every account of the configured root or OUs, gives each member account the rules that forward its
 * AWS Config compliance and configuration-item changes to that bus (the patterns the stack matches
 * locally), and the read-only role the drift scan assumes there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, BootstraplessSynthesizer, CfnCondition, CfnParameter, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { Config } from '../src/config/schema.js';
import type { EventKind } from '../src/findings/normalized.js';
import { triggersFor } from '../src/triggers/patterns.js';
import { DriftScanRole } from './drift-scan.js';
import { ruleEventPattern } from './triggers.js';

export type OrganizationConfig = NonNullable<Config['organization']>;

/** The events member accounts forward: AWS Config's, which never leave the account they happen in. */
const FORWARDED: readonly EventKind[] = ['config-compliance-change', 'config-item-change'];

/** What the member stack is made for: the triggers' patterns, and the drift scan's stacks if there is one. */
export interface MemberStackOptions {
  readonly config: Config;
  /** @default - no drift-scan role */
  readonly driftScanStacks?: readonly string[];
}

/** Every CloudFormation resource under `scope` is created only where `condition` holds. */
function onlyWhere(scope: Construct, condition: CfnCondition): void {
  for (const resource of scope.node.findAll()) if (resource instanceof CfnResource) resource.cfnOptions.condition = condition;
}

/**
 * The member account's stack, as the StackSet deploys it; the administrator's bus, account,
 * region and drift-scan principal are its parameters. The administrator's account may be a member
 * too: its home region needs no forwarding (its rules are there) and already has the drift-scan
 * role (its stack has one). Rules and their role are regional; the drift-scan role is global, so it
 * is made once per account, in the home region.
 */
export class MemberStack extends Stack {
  constructor(scope: Construct, id: string, options: MemberStackOptions) {
    // No bootstrap in member accounts: no bootstrap version check, no assets.
    super(scope, id, {
      synthesizer: new BootstraplessSynthesizer(),
      analyticsReporting: false,
      description: 'cloudmend member account: forwards AWS Config events, drift-scan role',
    });
    const parameter = (name: string, description: string): string =>
      new CfnParameter(this, name, { type: 'String', description }).valueAsString;
    const busArn = parameter('AdministratorEventBusArn', 'the bus cloudmend listens on, in the administrator account');
    const administrator = parameter('AdministratorAccount', 'the account cloudmend is deployed in');
    const home = parameter('HomeRegion', "cloudmend's region: its bus, and where the drift scan calls CloudFormation");
    const inHomeRegion = Fn.conditionEquals(this.region, home);
    const inAdministrator = Fn.conditionEquals(this.account, administrator);

    const forwarding = new Construct(this, 'Forwarding');
    const forwarder = new iam.Role(forwarding, 'Role', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'cloudmend: forward AWS Config events',
    });
    const bus = new targets.EventBus(events.EventBus.fromEventBusArn(this, 'AdministratorBus', busArn), { role: forwarder });
    for (const trigger of triggersFor(options.config).filter((t) => FORWARDED.includes(t.kind))) {
      new events.Rule(forwarding, trigger.name, {
        description: `cloudmend: forward ${trigger.description}`,
        eventPattern: ruleEventPattern(trigger.pattern),
        targets: [bus],
      });
    }
    onlyWhere(
      forwarding,
      new CfnCondition(this, 'ElsewhereThanTheBus', { expression: Fn.conditionNot(Fn.conditionAnd(inHomeRegion, inAdministrator)) }),
    );

    if (options.driftScanStacks === undefined) return;
    const driftScan = new DriftScanRole(this, 'DriftScan', {
      trustedAccount: administrator,
      trustedRoleArn: parameter('DriftScanPrincipalArn', "the drift scan state machine's role"),
      stackNames: options.driftScanStacks,
    });
    onlyWhere(
      driftScan,
      new CfnCondition(this, 'DriftScanRoleHere', { expression: Fn.conditionAnd(inHomeRegion, Fn.conditionNot(inAdministrator)) }),
    );
  }
}

/** The member stack's template, synthesized in an app of its own (it is deployed by the StackSet, not by `cdk deploy`). */
export function memberTemplate(options: MemberStackOptions): Record<string, unknown> {
  // Its own output directory: under `cdk synth`, an App writes to the CLI's cdk.out by default.
  const outdir = mkdtempSync(join(tmpdir(), 'cloudmend-member-'));
  try {
    const app = new App({ outdir });
    const stack = new MemberStack(app, 'CloudmendMember', options);
    return app.synth().getStackArtifact(stack.artifactId).template as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export interface OrganizationRolloutProps {
  readonly organization: OrganizationConfig;
  readonly config: Config;
  /** The bus cloudmend's rules listen on: the one member accounts forward to. */
  readonly eventBus: events.IEventBus;
  /**
   * The drift scan's state machine role and stacks: member accounts trust that role with their drift-scan role.
   * @default - no drift scan: no drift-scan role in member accounts
   */
  readonly driftScan?: { readonly role: iam.IRole; readonly stackNames: readonly string[] };
}

export class OrganizationRollout extends Construct {
  readonly busPolicy: events.CfnEventBusPolicy;
  readonly stackSet: cloudformation.CfnStackSet;

  constructor(scope: Construct, id: string, props: OrganizationRolloutProps) {
    super(scope, id);
    const { organization, eventBus, driftScan } = props;
    const stack = Stack.of(this);
    this.busPolicy = new events.CfnEventBusPolicy(this, 'BusPolicy', {
      eventBusName: eventBus.eventBusName,
      statementId: 'cloudmend-organization',
      statement: new iam.PolicyStatement({
        sid: 'cloudmend-organization',
        principals: [new iam.AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [eventBus.eventBusArn],
        conditions: { StringEquals: { 'aws:PrincipalOrgID': organization.id } },
      }).toStatementJson() as unknown,
    });
    const parameters: Record<string, string> = {
      AdministratorEventBusArn: eventBus.eventBusArn,
      AdministratorAccount: stack.account,
      HomeRegion: stack.region,
    };
    if (driftScan) parameters.DriftScanPrincipalArn = driftScan.role.roleArn;
    this.stackSet = new cloudformation.CfnStackSet(this, 'MemberStackSet', {
      stackSetName: `${stack.stackName}-members`,
      description: 'cloudmend member accounts: forward AWS Config events to the administrator account; the drift scan’s read-only role',
      permissionModel: 'SERVICE_MANAGED',
      callAs: organization.callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
      stackInstancesGroup: [
        { deploymentTargets: { organizationalUnitIds: organization.organizationalUnits }, regions: organization.regions ?? [stack.region] },
      ],
      parameters: Object.entries(parameters).map(([parameterKey, parameterValue]) => ({ parameterKey, parameterValue })),
      templateBody: JSON.stringify(memberTemplate({ config: props.config, driftScanStacks: driftScan?.stackNames })),
    });
  }
}
