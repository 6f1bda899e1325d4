/**
 * `code-execution`, continued: what resources run once deployed. A fix never changes what an
 * instance runs at boot (user data), which machine or container image it runs, or a function's
 * code (its package, image or layers): each is code the patch would ship without showing it. New
 * resources that carry such code count too.
 */
import { readHclValue, staticValue } from '../iac/terraform/hcl-expr.js';
import { added, cfnEntries, squash, tfEntries, type Fact } from './facts.js';
import type { Side } from './side.js';
import type { GuardrailViolation } from './types.js';

interface Payload {
  /** Resource types, Terraform or CloudFormation. */
  readonly types: RegExp;
  /** Attribute or property names, wherever in the resource they are. */
  readonly names: ReadonlySet<string>;
  readonly says: string;
}

const PAYLOADS: readonly Payload[] = [
  { types: /./, names: new Set(['user_data', 'user_data_base64', 'UserData']), says: 'runs on the instance at boot' },
  { types: /^aws_lambda_function$/, names: new Set(['filename', 's3_bucket', 's3_key', 's3_object_version', 'image_uri', 'source_code_hash', 'layers']), says: "is the function's code" },
  { types: /^AWS::Lambda::Function$/, names: new Set(['S3Bucket', 'S3Key', 'S3ObjectVersion', 'ImageUri', 'Layers']), says: "is the function's code" },
  { types: /^AWS::Serverless::Function$/, names: new Set(['CodeUri', 'ImageUri', 'Layers']), says: "is the function's code" },
  { types: /^(aws_instance|aws_spot_instance_request)$/, names: new Set(['ami']), says: 'is the machine image the instance runs' },
  { types: /^(aws_launch_template|aws_launch_configuration)$/, names: new Set(['image_id']), says: 'is the machine image instances run' },
  { types: /^AWS::(EC2::Instance|EC2::LaunchTemplate|AutoScaling::LaunchConfiguration)$/, names: new Set(['ImageId']), says: 'is the machine image instances run' },
  { types: /^aws_ecs_task_definition$/, names: new Set(['container_definitions']), says: 'are the containers the task runs' },
  { types: /^AWS::ECS::TaskDefinition$/, names: new Set(['Image', 'Command', 'EntryPoint']), says: 'is what a container of the task runs' },
];

function payloadOf(type: string, name: string): Payload | undefined {
  return PAYLOADS.find((p) => p.types.test(type) && p.names.has(name));
}

/** What of a container definition list runs code: images, commands, entry points; the text when unreadable. */
function containers(expr: string): string {
  const value = staticValue(readHclValue(expr));
  try {
    const list: unknown = typeof value === 'string' ? JSON.parse(value) : undefined;
    if (Array.isArray(list)) {
      return JSON.stringify(list.map((c: unknown) => (c !== null && typeof c === 'object' ? [(c as Record<string, unknown>).image, (c as Record<string, unknown>).command, (c as Record<string, unknown>).entryPoint] : c)));
    }
  } catch {
    // Unreadable JSON: judged by its text below.
  }
  return squash(expr);
}

function facts(side: Side): Fact[] {
  if (side.kind === 'cloudformation') {
    return cfnEntries(side).flatMap((e): Fact[] => {
      const p = payloadOf(e.resource.type, e.name);
      return p ? [{ holder: e.holder, key: `${e.path} ${JSON.stringify(e.value)}`, message: `${e.holder.id} has a new or changed ${e.path}, which ${p.says}` }] : [];
    });
  }
  return tfEntries(side.module).flatMap((e): Fact[] => {
    const p = e.resource.mode === 'resource' ? payloadOf(e.resource.type, e.attr.name) : undefined;
    if (!p) return [];
    const value = e.attr.name === 'container_definitions' ? containers(e.attr.expr) : squash(e.attr.expr);
    return [{ holder: e.holder, key: `${e.path} ${value}`, message: `${e.holder.id} has a new or changed ${e.path}, which ${p.says}` }];
  });
}

/** Code that resources would run after the patch and did not run before. */
export function newPayloads(before: Side, after: Side): GuardrailViolation[] {
  return added('code-execution', facts(before), facts(after));
}
