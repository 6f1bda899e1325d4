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

/** A resource string as cdk-nag prints it: `{Ref: X}` → `<X>`, `Fn::GetAtt` → `<X.Attr>`, joins concatenated. */
export function nagResource(scope: IConstruct, value: string): string {
  const render = (node: unknown): string => {
    if (typeof node === 'string') return node;
    const n = node as { Ref?: string; 'Fn::GetAtt'?: [string, string]; 'Fn::Join'?: [string, unknown[]] };
    if (n.Ref !== undefined) return `<${n.Ref}>`;
    if (n['Fn::GetAtt']) return `<${n['Fn::GetAtt'].join('.')}>`;
    if (n['Fn::Join']) return n['Fn::Join'][1].map(render).join(n['Fn::Join'][0]);
    throw new Error(`cannot render ${JSON.stringify(node)} as cdk-nag does`);
  };
  return render(Stack.of(scope).resolve(value));
}

/** Acknowledges an IAM5 wildcard on `resource` (as cdk-nag prints it) for everything under `scope`. */
export function acknowledgeWildcard(scope: IConstruct, resource: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
}

/** X-Ray's PutTraceSegments and PutTelemetryRecords have no resource-level permissions. */
export function acknowledgeTracing(scope: IConstruct): void {
  acknowledgeWildcard(
    scope,
    '*',
    'X-Ray tracing (PutTraceSegments, PutTelemetryRecords) has no resource-level permissions; these are the only actions granted on "*".',
  );
}
