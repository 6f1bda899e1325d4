/**
 * What load balancer skills share: which kind a load balancer is (most ELB controls are about
 * Application Load Balancers), and CloudFormation's `LoadBalancerAttributes`, a list of
 * `{ Key, Value }` items with string values, read and edited as one setting per key.
 */
import { appendSeqItem } from '../iac/cloudformation/edit.js';
import { nodeAt, propertyAt, type CfnResource, type CfnTemplate } from '../iac/cloudformation/template.js';
import type { TfModule, TfResource } from '../iac/terraform/module.js';
import { cfnSettingRemedy, editOrNothing, settingRemedy, tfString, type Remedy, type SettingRule } from './helpers.js';

export type LoadBalancerType = 'application' | 'network' | 'gateway' | 'unknown';

function typeOf(value: string | undefined, present: boolean): LoadBalancerType {
  if (!present) return 'application';
  return value === 'application' || value === 'network' || value === 'gateway' ? value : 'unknown';
}

/** `aws_lb` / `aws_alb` `load_balancer_type`, application by default. */
export function tfLoadBalancerType(module: TfModule, resource: TfResource): LoadBalancerType {
  const present = resource.block.body.items.some((i) => i.kind === 'attribute' && i.name === 'load_balancer_type');
  return typeOf(tfString(module, resource.block.body, 'load_balancer_type'), present);
}

/** `AWS::ElasticLoadBalancingV2::LoadBalancer` `Type`, application by default. */
export function cfnLoadBalancerType(resource: CfnResource): LoadBalancerType {
  const value = propertyAt(resource, ['Properties', 'Type']);
  return typeOf(typeof value === 'string' ? value : undefined, value !== undefined && value !== null);
}

const ATTRIBUTES = ['Properties', 'LoadBalancerAttributes'];

/**
 * The remedy for attribute `key` of a V2 load balancer's `LoadBalancerAttributes`: its `Value` read
 * as `cfnSettingRemedy` reads a property; a missing item is appended (the list created if need be);
 * a list that is not a literal list hides it (unknown). The rule's value is written as a string.
 */
export function cfnAttributeRemedy(template: CfnTemplate, resource: CfnResource, key: string, rule: SettingRule): Remedy[] {
  const list = propertyAt(resource, ATTRIBUTES);
  const named = (r: Remedy): Remedy => ({ ...r, violation: { ...r.violation, data: { ...r.violation.data, setting: key } } });
  if (Array.isArray(list)) {
    const i = list.findIndex((item) => item !== null && typeof item === 'object' && !Array.isArray(item) && item.Key === key);
    if (i >= 0) return cfnSettingRemedy(template, resource, [...ATTRIBUTES, i, 'Value'], rule).map(named);
  }
  const present = list !== undefined && list !== null;
  const offset = nodeAt(resource, ATTRIBUTES)?.range?.[0] ?? resource.span.start;
  return settingRemedy(present && !Array.isArray(list) ? 'unknown' : 'missing', rule, {
    setting: key,
    resource: resource.logicalId,
    offset,
    expr: JSON.stringify(list) ?? '',
    edit: () => editOrNothing(() => appendSeqItem(template, resource, ATTRIBUTES, { Key: key, Value: String(rule.value) })),
  });
}
