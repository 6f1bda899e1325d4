/**
 * cdk-nag acknowledgements that name a resource: AwsSolutions-IAM5 findings carry the policy's
 * resource as written in the template (`<LogicalId.Arn>/prefix/*`), so the acknowledgement is built
 * from the same logical id, never typed by hand.
 */
import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** `<LogicalId.Arn>`: how cdk-nag writes `Fn::GetAtt [LogicalId, Arn]`. */
export function arnRef(resource: IConstruct): string {
  const stack = Stack.of(resource);
  const cfn = (resource.node.defaultChild ?? resource) as CfnResource;
  return `<${stack.resolve(stack.getLogicalId(cfn)) as string}.Arn>`;
}

/** Acknowledges an IAM5 wildcard on `resource` (as cdk-nag prints it) for everything under `scope`. */
export function acknowledgeWildcard(scope: IConstruct, resource: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
}

/** X-Ray's PutTraceSegments and PutTelemetryRecords have no resource-level permissions. */
export function acknowledgeTracing(scope: IConstruct): void {
  acknowledgeWildcard(scope, '*', 'X-Ray tracing (PutTraceSegments, PutTelemetryRecords) has no resource-level permissions; these are the only actions granted on "*".');
}
