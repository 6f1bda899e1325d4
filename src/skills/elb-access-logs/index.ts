/**
 * ELB.5: Application and Classic Load Balancers write access logs to S3, the record of every
 * request (client, path, status, latency) an investigation needs. Logging is off by default; where
 * logs go is the team's (`skills.elbAccessLogBucket`): without it, a load balancer that names no
 * bucket is a suggestion. A bucket already named is kept: turning logging on writes there.
 * Network and Gateway Load Balancers are not evaluated by the control.
 */
import { appendSeqItem, replaceSeqItem, setProperty } from '../../iac/cloudformation/edit.js';
import { nodeAt, propertyAt } from '../../iac/cloudformation/template.js';
import { appendToBody, bodyIndent, setAttribute } from '../../iac/terraform/edit.js';
import { attribute, blocks } from '../../iac/terraform/hcl-structure.js';
import { attrValue, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { hclString, renderHcl } from '../../iac/terraform/render.js';
import { truth, type Val } from '../../iac/values.js';
import { cfnAttributeRemedy, cfnLoadBalancerType, tfLoadBalancerType } from '../elb-attributes.js';
import { cfnSettingRemedy, editOrNothing, remedyRule, tfSettingRemedy, type Remedy, type SettingRule } from '../helpers.js';
import { defineSkill, type CfnTarget, type SkillOptions, type TfTarget } from '../types.js';

const WRITE_ACCESS =
  "The bucket's policy must let Elastic Load Balancing write (the Region's ELB account, or logdelivery.elasticloadbalancing.amazonaws.com in newer Regions), else the deploy fails or no logs arrive.";
const ENABLED = 'access_logs.s3.enabled';
const ALB_MODULE = 'terraform-aws-modules/alb/aws';
const ELB_MODULE = 'terraform-aws-modules/elb/aws';
const BUCKET = 'access_logs.s3.bucket';

function note(lb: string, bucket: string): string {
  return `${lb} now writes access logs to ${bucket}, billed as S3 storage there. ${WRITE_ACCESS}`;
}

function enabledRule(lb: string, value: boolean | string, whenMissing: SettingRule['whenMissing']): SettingRule {
  return {
    value,
    accepts: (v: Val) => truth(v) === true,
    whenMissing,
    note: `Turned on access logging of ${lb}, to the bucket it already names. ${WRITE_ACCESS}`,
  };
}

/** A load balancer that names no log bucket: the configured one, or a person's to choose. */
function toConfigured(lb: string, offset: number, options: SkillOptions, edit: (bucket: string) => Remedy['edits']): Remedy[] {
  const bucket = options.elbAccessLogBucket;
  const base = { resource: lb, offset, kind: 'violation' as const, data: { lb } };
  if (bucket === undefined) return [{ violation: { ...base, messageId: 'noLogBucketConfigured', fixable: false } }];
  const edits = edit(bucket);
  if (!edits) return [{ violation: { ...base, messageId: 'noAccessLogs', fixable: false } }];
  return [{ violation: { ...base, messageId: 'noAccessLogs', fixable: true }, edits, note: note(lb, bucket) }];
}

function unknownType(lb: string, offset: number): Remedy {
  return { violation: { messageId: 'typeUnknown', data: { lb }, resource: lb, offset, fixable: false, kind: 'violation' } };
}

/**
 * The load balancer modules' `access_logs` input (terraform-aws-modules/alb and elb): a map with a
 * `bucket` logs unless `enabled = false`; the default `{}` does not log.
 */
function moduleRemedies(module: TfModule, call: TfResource, options: SkillOptions): Remedy[] {
  const lb = call.address;
  const { block, file } = call;
  const attr = attribute(block.body, 'access_logs');
  const value = attr ? attrValue(module, block.body, 'access_logs') : {};
  const map = value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  const input = (bucket: string, indent = '') => renderHcl({ bucket }, indent);
  if (map && Object.keys(map).length === 0)
    return toConfigured(lb, attr?.span.start ?? block.span.start, options, (bucket) => [
      attr
        ? setAttribute(file, block, 'access_logs', input(bucket, bodyIndent(file, block)))
        : appendToBody(file, block, [...(block.body.items.length > 0 ? [''] : []), ...`access_logs = ${input(bucket)}`.split('\n')]),
    ]);
  const base = { resource: lb, offset: attr?.span.start ?? block.span.start, kind: 'violation' as const, fixable: false };
  if (map && truth(map.enabled ?? true) === false)
    return [
      { violation: { ...base, messageId: 'settingWrong', data: { setting: 'access_logs.enabled', value: JSON.stringify(map.enabled) } } },
    ];
  // A map naming a bucket, even through a reference, logs.
  if ((map && typeof map.bucket === 'string') || /\bbucket\b/.test(attr?.expr ?? '')) return [];
  return [
    {
      violation: { ...base, messageId: 'settingUnknown', data: { setting: 'access_logs', expr: (attr?.expr ?? '').replace(/\s+/g, ' ') } },
    },
  ];
}

function terraformRemedies({ module, resource, options }: TfTarget): Remedy[] {
  const lb = resource.address;
  const { block, file } = resource;
  if (resource.mode === 'module') {
    const type = resource.type === ALB_MODULE ? tfLoadBalancerType(module, resource) : 'application';
    if (type === 'network' || type === 'gateway') return [];
    if (type === 'unknown') return [unknownType(lb, block.span.start)];
    return moduleRemedies(module, resource, options);
  }
  const classic = resource.type === 'aws_elb';
  if (!classic) {
    const type = tfLoadBalancerType(module, resource);
    if (type === 'network' || type === 'gateway') return [];
    if (type === 'unknown') return [unknownType(lb, block.span.start)];
  }
  const present = blocks(block.body, 'access_logs').length > 0 || blocks(block.body, 'dynamic').some((d) => d.labels[0] === 'access_logs');
  // `enabled` defaults to true in a Classic Load Balancer's block, to false in an Application Load Balancer's.
  if (present)
    return tfSettingRemedy(module, resource, ['access_logs', 'enabled'], enabledRule(lb, true, classic ? 'comply' : 'violation'));
  return toConfigured(lb, block.span.start, options, (bucket) => [
    appendToBody(file, block, [
      ...(block.body.items.length > 0 ? [''] : []),
      'access_logs {',
      `  bucket  = ${hclString(bucket)}`,
      '  enabled = true',
      '}',
    ]),
  ]);
}

function cloudFormationRemedies({ template, resource, options }: CfnTarget): Remedy[] {
  const lb = resource.logicalId;
  if (resource.type === 'AWS::ElasticLoadBalancing::LoadBalancer') {
    const path = ['Properties', 'AccessLoggingPolicy'];
    if (propertyAt(resource, path) !== undefined)
      return cfnSettingRemedy(template, resource, [...path, 'Enabled'], enabledRule(lb, true, 'violation'));
    return toConfigured(lb, resource.span.start, options, (bucket) => {
      const edit = editOrNothing(() => setProperty(template, resource, path, { Enabled: true, S3BucketName: bucket }));
      return edit && [edit];
    });
  }
  const type = cfnLoadBalancerType(resource);
  if (type === 'network' || type === 'gateway') return [];
  if (type === 'unknown') return [unknownType(lb, resource.span.start)];
  const enabled = cfnAttributeRemedy(template, resource, ENABLED, enabledRule(lb, 'true', 'violation'));
  const list = propertyAt(resource, ['Properties', 'LoadBalancerAttributes']);
  const keys = Array.isArray(list)
    ? list.map((item) => (item && typeof item === 'object' && !Array.isArray(item) ? item.Key : undefined))
    : [];
  const [first] = enabled;
  // Compliant, a bucket already named, or not for cloudmend to change (a parameter, an intrinsic).
  if (!first?.edits || keys.includes(BUCKET)) return enabled;
  const offset = nodeAt(resource, ['Properties', 'LoadBalancerAttributes'])?.range?.[0] ?? resource.span.start;
  const i = keys.indexOf(ENABLED);
  return toConfigured(lb, offset, options, (bucket) => {
    const items = [
      { Key: ENABLED, Value: 'true' },
      { Key: BUCKET, Value: bucket },
    ];
    // One edit for both items: enabled set to false is replaced by the two.
    const edit = editOrNothing(() =>
      i >= 0
        ? replaceSeqItem(template, resource, ['Properties', 'LoadBalancerAttributes'], i, items)
        : appendSeqItem(template, resource, ['Properties', 'LoadBalancerAttributes'], ...items),
    );
    return edit && [edit];
  });
}

export default defineSkill({
  meta: {
    id: 'elb-access-logs',
    title: 'Load balancers: access logs on (Application and Classic)',
    controls: ['ELB.5'],
    configRules: ['elb-logging-enabled'],
    fixable: 'code',
    options: ['elbAccessLogBucket'],
    risk: 'none',
    riskNote: WRITE_ACCESS,
    messages: {
      noAccessLogs: 'Load balancer {{lb}} does not write access logs: the requests it served cannot be looked at later.',
      noLogBucketConfigured:
        'Load balancer {{lb}} does not write access logs: set skills.elbAccessLogBucket in the config to the bucket they go to (its policy must let Elastic Load Balancing write), or configure its access logs here.',
      settingWrong: '{{setting}} is {{value}}: the load balancer writes no access logs.',
      settingMissing: '{{setting}} is not set: an Application Load Balancer writes no access logs unless turned on.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure access logging is on.',
      typeUnknown:
        'The type of load balancer {{lb}} is an expression cloudmend cannot evaluate; if it is an Application Load Balancer, turn its access logs on.',
    },
  },

  terraform: {
    resourceTypes: ['aws_lb', 'aws_alb', 'aws_elb', `module:${ALB_MODULE}`, `module:${ELB_MODULE}`],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancing::LoadBalancer'],
    ...remedyRule(cloudFormationRemedies),
  },
});
