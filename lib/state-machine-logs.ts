/**
 * A state machine's log group. Step Functions delivers logs as a vended log source: for a group
 * under `/aws/vendedlogs/`, CloudWatch Logs needs no resource-policy statement per group, and that
 * policy's 5,120 characters fill up in a busy account and fail the deploy.
 */
import { Aws, Fn, type RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export const VENDED_LOGS_PREFIX = '/aws/vendedlogs/states/';

export interface StateMachineLogsProps {
  readonly retention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * `/aws/vendedlogs/states/<stack>-<name>-<stack id>`: the stack's own id (a UUID) keeps a group
 * retained by an earlier stack of the same name from blocking a redeploy.
 */
export function stateMachineLogGroup(scope: Construct, name: string, props: StateMachineLogsProps): logs.LogGroup {
  const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  return new logs.LogGroup(scope, 'Logs', {
    logGroupName: `${VENDED_LOGS_PREFIX}${Aws.STACK_NAME}-${name}-${stackUuid}`,
    retention: props.retention,
    removalPolicy: props.removalPolicy,
  });
}
