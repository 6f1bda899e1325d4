/**
 * Lambda functions: runtime, handler, memory, timeout, execution role, environment variables,
 * tracing, VPC attachment, KMS key and tags. Environment values are compared but a secret-looking
 * one is reported as `(redacted)`; Config does not always record them, and then they are skipped.
 */
import type { Declaration } from '../declaration.js';
import type { ConfigItem } from '../item.js';
import { isList, isObject, isUnknown, listOf, pick, textOf, type Partial } from '../partial.js';
import { MapFact, type DriftType, type Fact, type Spec } from '../types.js';
import { declaredTags, first, kmsKey, liveTags, put, secureWhenTrue, TAGS_SPEC, toNumber } from './common.js';

const specs: Spec[] = [
  { kind: 'scalar', path: 'runtime', label: 'Lambda runtime' },
  { kind: 'scalar', path: 'handler', label: 'Lambda handler' },
  { kind: 'scalar', path: 'memorySize', label: 'Lambda memory size (MB)', normalize: toNumber },
  { kind: 'scalar', path: 'timeout', label: 'Lambda timeout (seconds)', normalize: toNumber },
  { kind: 'scalar', path: 'role', label: 'Lambda execution role', category: 'iam' },
  { kind: 'map', path: 'environment', label: 'environment variable', redact: true },
  { kind: 'scalar', path: 'tracingMode', label: 'X-Ray tracing mode' },
  // Leaving the VPC gives the function the internet instead of the VPC's controlled egress.
  { kind: 'scalar', path: 'vpc.attached', label: 'Lambda attached to a VPC', category: 'network', weakens: secureWhenTrue },
  {
    kind: 'set',
    path: 'vpc.subnetIds',
    label: 'Lambda VPC subnet',
    itemLabel: textOf,
    category: () => 'network',
    weakens: () => false,
  },
  {
    kind: 'set',
    path: 'vpc.securityGroupIds',
    label: 'Lambda security group',
    itemLabel: textOf,
    category: () => 'network',
    // Security groups add up: one more allows more.
    weakens: (_item, change) => change === 'added',
  },
  {
    kind: 'scalar',
    path: 'kmsKeyArn',
    label: 'environment encryption KMS key',
    category: 'encryption',
    normalize: kmsKey,
    weakens: (d, l) => d !== null && l === null,
  },
  TAGS_SPEC,
];

function environment(variables: Partial | undefined, declared: boolean): Fact {
  if (!declared) return undefined;
  if (isUnknown(variables)) return variables;
  return new MapFact(isObject(variables) ? variables : {});
}

/** Declared VPC facts from the subnet and security group lists. */
function vpc(facts: Record<string, Fact>, config: Partial | undefined, subnets: Partial | undefined, groups: Partial | undefined): void {
  if (config === undefined) return;
  if (isUnknown(config)) return void (facts['vpc.attached'] = config);
  // Lambda takes subnets and security groups together (both empty or both not): either list's length decides.
  const lists = [listOf(subnets), listOf(groups)];
  const sizes = lists.map((l) => (isUnknown(l) ? undefined : (l?.length ?? 0)));
  const unknown = lists.find(isUnknown);
  facts['vpc.attached'] = sizes.some((n) => n !== undefined && n > 0) ? true : (unknown ?? false);
  put(facts, 'vpc.subnetIds', subnets);
  put(facts, 'vpc.securityGroupIds', groups);
}

function terraform(d: Declaration): Record<string, Fact> {
  const p = d.props;
  const facts: Record<string, Fact> = {};
  for (const [path, attr] of [
    ['runtime', 'runtime'],
    ['handler', 'handler'],
    ['memorySize', 'memory_size'],
    ['timeout', 'timeout'],
    ['role', 'role'],
    ['kmsKeyArn', 'kms_key_arn'],
  ] as const)
    put(facts, path, p[attr]);
  const env = first(p.environment);
  put(facts, 'environment', environment(pick(env, 'variables'), env !== undefined));
  put(facts, 'tracingMode', pick(first(p.tracing_config), 'mode'));
  const config = first(p.vpc_config);
  vpc(facts, config, pick(config, 'subnet_ids'), pick(config, 'security_group_ids'));
  put(facts, 'tags', declaredTags(d));
  return facts;
}

function cloudformation(d: Declaration): Record<string, Fact> {
  const p = d.props;
  const facts: Record<string, Fact> = {};
  for (const [path, prop] of [
    ['runtime', 'Runtime'],
    ['handler', 'Handler'],
    ['memorySize', 'MemorySize'],
    ['timeout', 'Timeout'],
    ['role', 'Role'],
    ['kmsKeyArn', 'KmsKeyArn'],
  ] as const)
    put(facts, path, p[prop]);
  put(facts, 'environment', environment(pick(p.Environment, 'Variables'), p.Environment !== undefined));
  put(facts, 'tracingMode', pick(p.TracingConfig, 'Mode'));
  vpc(facts, p.VpcConfig, pick(p.VpcConfig, 'SubnetIds'), pick(p.VpcConfig, 'SecurityGroupIds'));
  put(facts, 'tags', declaredTags(d));
  return facts;
}

function live(item: ConfigItem): Record<string, Fact> {
  const c = item.configuration;
  const facts: Record<string, Fact> = { tags: liveTags(item) };
  if (Object.keys(c).length === 0) return facts;
  for (const path of ['runtime', 'handler', 'memorySize', 'timeout', 'role'] as const) put(facts, path, pick(c, path));
  const variables = pick(c, 'environment', 'variables');
  if (isObject(variables)) facts.environment = new MapFact(variables);
  else if (isObject(pick(c, 'environment')) || pick(c, 'environment') === null) facts.environment = new MapFact({});
  put(facts, 'tracingMode', pick(c, 'tracingConfig', 'mode'));
  const subnets = listOf(pick(c, 'vpcConfig', 'subnetIds'));
  // Config always records the function's configuration; no subnets means no VPC.
  facts['vpc.attached'] = isList(subnets) && subnets.length > 0;
  facts['vpc.subnetIds'] = isList(subnets) ? subnets : [];
  const groups = listOf(pick(c, 'vpcConfig', 'securityGroupIds'));
  facts['vpc.securityGroupIds'] = isList(groups) ? groups : [];
  put(facts, 'kmsKeyArn', pick(c, 'kmsKeyArn') ?? null);
  return facts;
}

export const lambdaFunction: DriftType = {
  configType: 'AWS::Lambda::Function',
  terraform: ['aws_lambda_function'],
  cloudformation: ['AWS::Lambda::Function'],
  specs,
  declared: (d) => (d.kind === 'terraform' ? terraform(d) : cloudformation(d)),
  live,
};
